"""Sync: protocol types shared with the server, the client engine and merge rules."""
