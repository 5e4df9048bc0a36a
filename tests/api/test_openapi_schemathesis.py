"""The OpenAPI document is true: schemathesis fuzzes the live API on loopback against it.

Run as the `st` command in a subprocess (it is synchronous; the app runs on this test's event loop),
with a bounded number of examples per operation and a time budget, so it finishes in well under a
minute. Any 5xx, undocumented status, wrong content type or body not matching its schema fails.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

from tests.api.conftest import OPERATOR_KEY, Api, add_jobs, operator_alert

pytestmark = pytest.mark.timeout(120)

CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
          "response_headers_conformance,negative_data_rejection,ignored_auth")


def _st() -> str:
    found = Path(sys.executable).with_name("st")
    if found.exists():
        return str(found)
    which = shutil.which("st")
    if which is None:
        pytest.skip("schemathesis is not installed (pip install -e '.[dev]')")
    return which


async def test_api_conforms_to_its_openapi_document(api: Api, tmp_path: Path) -> None:
    await operator_alert(api, "ada@example.org")  # something for the alert endpoints to find
    # and jobs for the job endpoints, so that their bodies are checked against the schemas too
    await add_jobs(api, "Senior Python Engineer", "Django Developer", description="Python, PostgreSQL. Berlin.")
    process = await asyncio.create_subprocess_exec(
        _st(), "run", f"{api.url}/openapi.json", "--url", api.url,
        "--header", f"Authorization: Bearer {OPERATOR_KEY}",
        "--checks", CHECKS, "--max-examples", "8", "--max-time", "30", "--seed", "20240601",
        "--phases", "examples,coverage,fuzzing", "--workers", "1", "--request-timeout", "10",
        "--report-dir", str(tmp_path), "--no-color",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=tmp_path)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=100)
    text = out.decode(errors="replace")
    assert process.returncode == 0, text[-8000:]
