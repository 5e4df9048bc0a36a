"""Public endpoints tell each client its budget on every response, not only once it is spent."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aggregator.api import Limits


async def test_each_response_carries_the_clients_remaining_budget(start_api: Any) -> None:
    """RateLimit-Limit / -Remaining / -Reset count down to the 429, whose Retry-After is the reset.

    Before, a client learnt its budget only from a 429: nothing let it slow down first.
    """
    if 60 - time.time() % 60 < 5:  # keep the whole test inside one one-minute window
        await asyncio.sleep(60 - time.time() % 60 + 0.1)
    async with start_api(Limits(reads_per_minute=3, writes_per_minute=3)) as api:
        seen = []
        for path in ("/v1/jobs", "/v1/jobs/1", "/v1/jobs?limit=0", "/v1/jobs"):  # a 404 and a 422 count too
            async with api.http.get(f"{api.url}{path}") as r:
                seen.append((r.status, r.headers.get("RateLimit-Limit"), r.headers.get("RateLimit-Remaining")))
                reset, retry = r.headers.get("RateLimit-Reset"), r.headers.get("Retry-After")
        assert seen == [(200, "3", "2"), (404, "3", "1"), (422, "3", "0"), (429, "3", "0")]
        assert reset is not None and 1 <= int(reset) <= 60 and retry == reset
        # The operator is not limited, so is told no budget.
        async with api.http.get(f"{api.url}/v1/jobs", headers=api.operator) as r:
            assert r.status == 200 and "RateLimit-Remaining" not in r.headers
