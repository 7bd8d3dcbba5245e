"""Writing export files: owner-only permissions, atomic, byte for byte."""

from __future__ import annotations

import os
from pathlib import Path


def write_private(path: Path | str, data: bytes) -> None:
    """Write a file readable by the owner only, atomically (no half-written exports).

    Bytes on purpose: an .ics file's CRLF line ends must survive a Windows text-mode write.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
