"""Sub-commands of `hirewire`, one module per area; each module registers its own parsers."""

from __future__ import annotations

import argparse

from aggregator.commands import alerts, daemon, demo, offline, ops, reparse
from aggregator.commands import deliveries as deliveries_cmd


def register_all(commands: argparse._SubParsersAction) -> None:
    for module in (daemon, ops, offline, alerts, deliveries_cmd, reparse, demo):
        module.register(commands)
