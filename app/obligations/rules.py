"""Obligation rules (a colleague fills this in)."""

from __future__ import annotations


def install_defaults() -> None:
    """Install the default rules of DOMAIN.md into an empty rules table."""
