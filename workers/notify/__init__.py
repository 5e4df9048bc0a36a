"""Notification channels behind one protocol, and the orchestrator that sends one batch.

`Notifier.deliver` reads top to bottom: find the delivery's batch → claim it in PostgreSQL →
build the message → send through the alert's channel → record the outcome. The database decides
everything (claims are conditional updates with a lease), so arq may run a job twice, or a worker
may die mid-send, and the worst case is a repeat under the same Message-ID / webhook-id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import structlog

from aggregator import digests
from aggregator.delivery_policy import DeliveryPolicy
from aggregator.errors import DestinationGone, PermanentDeliveryError, TransientDeliveryError
from aggregator.runtime import Runtime
from aggregator.store import deliveries as store
from workers.notify.content import Alert, Batch, job_payload
from workers.notify.email import EmailChannel
from workers.notify.webhook import WebhookChannel

__all__ = ["CHANNELS", "Channel", "DeliveryPolicy", "Notifier", "Outcome", "deliver", "delivery_job_id",
           "due_deliveries"]

log = structlog.get_logger("hirewire.notify")


class Channel(Protocol):
    """A way to reach a subscriber. `send` returns the reply code or raises a DeliveryError."""

    name: str

    async def send(self, batch: Batch) -> int: ...

    async def aclose(self) -> None: ...


#: Channel name (as `Alert.channel` gives it) → factory. Adding a channel is one module plus one line.
CHANNELS: dict[str, Callable[[Runtime, DeliveryPolicy], Channel]] = {
    "email": lambda rt, policy: EmailChannel(rt.settings, policy),
    "webhook": lambda rt, policy: WebhookChannel(rt.settings, policy, rt.redis),
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt came to; `retry_in` asks the caller to schedule the next attempt."""

    state: str
    anchor_id: int
    attempts: int = 0
    retry_in: float | None = None


def delivery_job_id(prefix: str, anchor_id: int, attempts: int = 0) -> str:
    """arq job id for an attempt: one per attempt, so a retry is never swallowed by arq's dedup.

    arq's job keys ignore the queue name, so the id carries hirewire's Redis prefix: installations
    sharing one Redis must not deduplicate each other's deliveries.
    """
    base = f"{prefix}:delivery:{anchor_id}"
    return base if attempts == 0 else f"{base}:{attempts}"


class Notifier:
    """One per worker: holds the channels' connections (SMTP, HTTP) across jobs."""

    def __init__(self, rt: Runtime, policy: DeliveryPolicy | None = None) -> None:
        self.rt = rt
        self.policy = policy or DeliveryPolicy()
        self._channels: dict[str, Channel] = {}

    def channel(self, name: str) -> Channel:
        if name not in self._channels:
            self._channels[name] = CHANNELS[name](self.rt, self.policy)
        return self._channels[name]

    async def deliver(self, delivery_id: int) -> Outcome:
        """Send the batch `delivery_id` belongs to, if it is due and nobody else holds it."""
        async with self.rt.pool.acquire() as conn:
            row = await store.alert_for_delivery(conn, delivery_id)
            if row is None:
                return Outcome("missing", delivery_id)
            if row["batch_key"] is None and row["frequency"] != "instant":
                return Outcome("waiting", delivery_id)  # its digest has not been opened yet
            key, claimed = await store.claim_batch(conn, alert_id=row["alert_id"], batch_key=row["batch_key"],
                                                   delivery_id=delivery_id, lease=self.policy.lease)
            if not claimed:
                return Outcome(row["state"], delivery_id)
            ids = [c.delivery_id for c in claimed]
            alert_row = await store.load_alert(conn, row["alert_id"])
            if alert_row is None or alert_row["status"] != "active":
                await store.mark_skipped(conn, ids, f"alert {alert_row['status'] if alert_row else 'deleted'}")
                return Outcome("skipped", delivery_id)
            jobs = [job_payload(r) for r in await store.jobs_for(conn, [c.job_id for c in claimed])]
        attempts = max(c.attempts for c in claimed)
        batch = Batch(key=key, alert=Alert.from_row(alert_row), jobs=jobs, delivery_ids=ids,
                      created_at=min(c.created_at for c in claimed), attempt=attempts)
        outcome = await self._send(batch, attempts, min(ids))
        log.info("delivery attempted", deliveries=ids, alert=batch.alert.id, channel=batch.alert.channel,
                 state=outcome.state, attempt=attempts, retry_in=outcome.retry_in)
        return outcome

    async def _send(self, batch: Batch, attempts: int, anchor: int) -> Outcome:
        ids = batch.delivery_ids
        try:
            status = await self.channel(batch.alert.channel).send(batch)
        except DestinationGone as exc:
            async with self.rt.pool.acquire() as conn:
                await store.mark_dead(conn, ids, f"{exc} (alert disabled)", exc.status)
                await store.disable_alert(conn, batch.alert.id, "destination gone (410): alert disabled")
            return Outcome("dead", anchor, attempts)
        except PermanentDeliveryError as exc:
            async with self.rt.pool.acquire() as conn:
                await store.mark_dead(conn, ids, str(exc), exc.status)
            return Outcome("dead", anchor, attempts)
        except (TransientDeliveryError, Exception) as exc:
            if not isinstance(exc, TransientDeliveryError):
                log.exception("unexpected delivery error", deliveries=ids)
            status_code = getattr(exc, "status", None)
            delay = self.policy.delay(attempts, getattr(exc, "retry_after", None))
            async with self.rt.pool.acquire() as conn:
                if delay is None:
                    await store.mark_dead(conn, ids, f"retry budget spent after {attempts} attempts: {exc}",
                                          status_code)
                    return Outcome("dead", anchor, attempts)
                await store.mark_failed(conn, ids, str(exc) or type(exc).__name__, status_code, delay)
            return Outcome("failed", anchor, attempts, retry_in=delay)
        async with self.rt.pool.acquire() as conn:
            await store.mark_sent(conn, ids, status)
        return Outcome("sent", anchor, attempts)

    async def open_due_digests(self, now: datetime | None = None) -> list[int]:
        """Gather waiting deliveries into the digests whose slot has come; returns anchors to send."""
        now = now or datetime.now(UTC)
        anchors = []
        async with self.rt.pool.acquire() as conn:
            for alert in await store.digest_candidates(conn):
                args = (alert["frequency"], alert["send_hour"], alert["timezone"])
                if not digests.digest_due(*args, alert["since"], now):
                    continue
                slot = digests.last_slot(*args, now)
                assert slot is not None  # digest alerts only
                anchor = await store.open_digest(conn, alert["id"], digests.batch_key(slot), slot)
                if anchor is not None:
                    anchors.append(anchor)
        return anchors

    async def due(self) -> list[store.DueBatch]:
        async with self.rt.pool.acquire() as conn:
            return await store.due_batches(conn)

    async def aclose(self) -> None:
        for channel in self._channels.values():
            await channel.aclose()
        self._channels.clear()


async def deliver(rt: Runtime, delivery_id: int, policy: DeliveryPolicy | None = None) -> str:
    """Send one delivery with a short-lived Notifier (tools and tests); returns its new state."""
    notifier = Notifier(rt, policy)
    try:
        return (await notifier.deliver(delivery_id)).state
    finally:
        await notifier.aclose()


async def due_deliveries(rt: Runtime) -> list[int]:
    """Anchor delivery ids of every batch due now (digests already opened)."""
    async with rt.pool.acquire() as conn:
        return [due.anchor_id for due in await store.due_batches(conn)]
