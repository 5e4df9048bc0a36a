"""Fault injection against real servers on loopback: kills, server restarts, misbehaving sources."""
