# The two commands: `make run` (the daemon on the embedded default) and `make test` (the whole suite).
# Both create the virtual environment and install what is needed on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench demo clean browser

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "hirewire needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,embedded]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/hirewire run

demo: $(STAMP)
	$(BIN)/hirewire demo

lint: $(STAMP)
	$(BIN)/ruff check aggregator scrapers workers tests bench
	$(BIN)/mypy

# Headless Chromium for the rendering checks of emails and pages (Debian's package; skipped if unavailable).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; } \
	  || echo "chromium unavailable: the browser checks will be skipped"; }

test: lint browser
	$(BIN)/python -m pytest

bench: $(STAMP)
	for b in bench/bench_*.py; do $(BIN)/python -m bench.$$(basename $$b .py) || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
