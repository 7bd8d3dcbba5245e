"""Liaison Desktop: offline-first workplace for the youth professional at the GP practice."""

__version__ = "0.1.0"
