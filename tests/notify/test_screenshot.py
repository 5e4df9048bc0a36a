"""The HTML email renders in a real browser: headless Chromium screenshots it, the PNG is inspected.

Needs /usr/bin/chromium (Debian package `chromium`; fonts from `fonts-dejavu-core`); skipped otherwise.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workers.notify.content import Alert, Batch
from workers.notify.render import render

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                             shutil.which("chromium-browser") or "") if p and Path(p).exists()), None)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB(A) rows of an 8-bit truecolour PNG, with the standard library only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = previous[i], previous[i - channels] if i >= channels else 0
            line[i] = (line[i] + (0, a, b, (a + b) // 2, _paeth(a, b, c))[kind]) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium "
                                             "fonts-dejavu-core)")
def test_digest_html_renders_in_chromium(tmp_path: Path) -> None:
    jobs = [{"title": f"Senior Python Engineer {n}", "company": "Saltmarsh Labs", "url": "https://jobs.example.org",
             "remote": "remote", "salary_min": 120000, "salary_max": 150000, "salary_currency": "EUR",
             "salary_period": "year", "skills": ["Django", "FastAPI"], "description_text": "Build APIs. " * 30,
             "posted_at": "2025-01-05T00:00:00Z"} for n in range(4)]
    alert = Alert(id=1, email="a@example.org", webhook_url=None, webhook_secret=None, query="django",
                  frequency="daily")
    batch = Batch(key="g20250106T0800", alert=alert, jobs=jobs, delivery_ids=[1], created_at=datetime.now(UTC),
                  attempt=1)
    page = tmp_path / "digest.html"
    page.write_text(render(batch, unsubscribe_url="https://x.example/u/t", public_url="https://x.example",
                           frequency_label="daily").html)
    shot = Path(os.environ.get("HIREWIRE_SCREENSHOT_DIR", tmp_path)) / "digest.png"
    assert CHROMIUM is not None
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--hide-scrollbars", f"--screenshot={shot}", "--window-size=800,1200", page.as_uri()],
                   check=True, capture_output=True, timeout=90)
    width, height, rows = read_png(shot.read_bytes())
    assert (width, height) == (800, 1200)
    channels = len(rows[0]) // width
    pixels = [row[i:i + 3] for row in rows[::4] for i in range(0, len(row), channels * 4)]
    non_white = sum(1 for p in pixels if min(p) < 235)
    dark = sum(1 for p in pixels if max(p) < 100)          # text
    blue = sum(1 for p in pixels if p[2] > 100 and p[0] < 60)  # the header band and buttons
    assert non_white > len(pixels) * 0.05, "the page is (nearly) blank"
    assert dark > 50 and blue > 200
