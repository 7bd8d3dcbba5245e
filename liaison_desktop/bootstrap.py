"""The one place that wires store, services and UI together."""

from __future__ import annotations

import argparse
import sys


def run_app(args: argparse.Namespace) -> int:
    """Start the desktop app (the UI arrives with the desktop issue)."""
    print("De desktop-app is nog niet beschikbaar in deze versie.", file=sys.stderr)
    return 2
