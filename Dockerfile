FROM python:3.12-slim
WORKDIR /app
COPY pyproject.toml README.md schema.sql ./
COPY aggregator ./aggregator
COPY scrapers ./scrapers
COPY workers ./workers
RUN pip install --no-cache-dir . && useradd --system hirewire
USER hirewire
CMD ["hirewire", "run"]
