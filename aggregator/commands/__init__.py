"""Sub-commands of `hirewire`, one module per area; each module registers its own parsers."""

from __future__ import annotations

import argparse

from aggregator.commands import alerts, daemon, offline, ops


def register_all(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for module in (daemon, ops, offline, alerts):
        module.register(commands)
