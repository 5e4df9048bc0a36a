"""Subscriber commands: subscribe, alerts (list, show, pause, resume, delete, backfill)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Registers nothing yet."""
