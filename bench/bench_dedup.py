"""Speed and quality of the near-duplicate decision next to a naive baseline. Prints figures; asserts nothing.

Runs over the labelled pairs of tests/dedup/pairs.jsonl. `is_same_job` works on candidates built
once per listing (keys, facets, a description sketch), so the figures separate building a candidate
from deciding a pair. The baseline does what a first attempt would: difflib's SequenceMatcher ratio
on "company title location description", a duplicate at 0.8 or above.

    .venv/bin/python bench/bench_dedup.py [ROUNDS]
"""

from __future__ import annotations

import difflib
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import msgspec

from aggregator.dedup import candidate, fingerprint, is_same_job
from aggregator.model import Listing

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "dedup" / "pairs.jsonl"
BASELINE_THRESHOLD = 0.8

T = TypeVar("T")


def load() -> tuple[list[tuple[Listing, Listing]], list[bool]]:
    pairs, labels = [], []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        pairs.append((msgspec.convert(item["a"], Listing), msgspec.convert(item["b"], Listing)))
        labels.append(bool(item["same"]))
    return pairs, labels


def flat_text(listing: Listing) -> str:
    return " ".join(filter(None, [listing.company, listing.title, listing.location_raw, listing.description_text]))


def baseline(a: Listing, b: Listing) -> bool:
    return difflib.SequenceMatcher(None, flat_text(a), flat_text(b)).ratio() >= BASELINE_THRESHOLD


def quality(decisions: Sequence[bool], labels: Sequence[bool]) -> tuple[float, float]:
    tp = sum(d and y for d, y in zip(decisions, labels, strict=True))
    fp = sum(d and not y for d, y in zip(decisions, labels, strict=True))
    fn = sum(not d and y for d, y in zip(decisions, labels, strict=True))
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def timed(rounds: int, work: Callable[[], T]) -> tuple[float, T]:
    """Best wall time of `rounds` runs (seconds) and the last result."""
    best = float("inf")
    result = work()
    for _ in range(rounds):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(rounds: int) -> None:
    pairs, labels = load()
    count = len(pairs)
    print(f"{count} labelled pairs ({sum(labels)} same job), best of {rounds} rounds")

    build, candidates = timed(rounds, lambda: [(candidate(a), candidate(b)) for a, b in pairs])
    decide, ours = timed(rounds, lambda: [is_same_job(a, b) for a, b in candidates])
    naive, theirs = timed(max(1, rounds // 5), lambda: [baseline(a, b) for a, b in pairs])
    # What storage does: the exact key (a unique column) unless both descriptions are there to show
    # two different roles behind it, and the near-duplicate decision.
    exact = [fingerprint(a) == fingerprint(b) for a, b in pairs]
    pipeline = [d or (e and not (x.shingles and y.shingles))
                for e, d, (x, y) in zip(exact, ours, candidates, strict=True)]

    rows = [
        ("is_same_job (candidates prebuilt)", count / decide, quality(ours, labels)),
        ("candidate() + is_same_job", count / (build + decide), quality(ours, labels)),
        (f"difflib ratio >= {BASELINE_THRESHOLD} (full text)", count / naive, quality(theirs, labels)),
    ]
    print(f"{'method':<48} {'pairs/s':>10} {'precision':>10} {'recall':>8}")
    for name, rate, (precision, recall) in rows:
        print(f"{name:<48} {rate:>10,.0f} {precision:>10.3f} {recall:>8.3f}")
    for name, decisions in (("fingerprint only", exact), ("as storage decides (fingerprint + is_same_job)", pipeline)):
        precision, recall = quality(decisions, labels)
        print(f"{name:<48} {'':>10} {precision:>10.3f} {recall:>8.3f}")
    print(f"candidate() alone: {2 * count / build:,.0f} listings/s; "
          f"decision speed-up over the baseline: {naive / decide:,.0f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
