"""Shared pieces of the fault tests: generated feeds, `hirewire` subprocesses and polling.

The feeds are generated rather than recorded so a test can ask for thousands of distinct listings
(distinct companies, so cross-source dedup never merges two of them) and know exactly which ones.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Any

from aggregator.embedded import free_port
from tests.conftest import ROOT

__all__ = ["company", "free_port", "remotive_feed", "remotive_job", "start_hirewire", "stop", "wait_for"]

_LETTERS = "bcdfghjklmnpqrstvwxz"


def company(n: int, tag: str = "") -> str:
    """A company name unique per n: dedup folds digits and suffixes, so the number is spelled in letters."""
    word = ""
    n += 20 * 20  # at least three letters
    while n:
        n, digit = divmod(n, len(_LETTERS))
        word += _LETTERS[digit] + "a"
    return f"{tag}{word.capitalize()} Systems"


def remotive_job(n: int, tag: str = "f") -> dict[str, Any]:
    """One Remotive job object that normalises to a Python backend role."""
    name = company(n, tag)
    return {
        "id": f"{tag}{n}", "url": f"https://remotive.example/jobs/{tag}{n}", "title": "Senior Python Backend Engineer",
        "company_name": name, "category": "Software Development", "tags": ["python", "django", "postgresql"],
        "job_type": "full_time", "publication_date": "2026-01-05T16:20:11",
        "candidate_required_location": "Worldwide", "salary": "$120k - $150k",
        "description": f"<p>{name} builds Django and FastAPI services on PostgreSQL. Opening {tag}{n}.</p>",
    }


def remotive_feed(ids: range, tag: str = "f") -> bytes:
    return json.dumps({"job-count": len(ids), "jobs": [remotive_job(n, tag) for n in ids]}).encode()


def start_hirewire(role: str, env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen[bytes]:
    """`hirewire ROLE` as its own process (its logs appended to `log`, read when a test fails)."""
    handle: IO[bytes] = log.open("ab")
    return subprocess.Popen([sys.executable, "-m", "aggregator", role, *extra], env=env, cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT)


async def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 30) -> int:
    """Signal a process we started and reap it without blocking the loop that serves its peers."""
    if process.poll() is None:
        os.kill(process.pid, sig)
    try:
        return await asyncio.to_thread(process.wait, timeout)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        return await asyncio.to_thread(process.wait, 10)


async def wait_for(check: Callable[[], Awaitable[bool]], timeout: float, what: str, interval: float = 0.1) -> float:
    """Poll `check` until true; returns the seconds it took. The failure message names what never happened."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while not await check():
        if loop.time() - started > timeout:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        await asyncio.sleep(interval)
    return loop.time() - started
