"""Structured logs: one JSON object per line on stderr, with ids but never personal data.

Log calls pass ids (device, user, org, team) as ``extra``; names, codes, tokens and request
bodies are never logged. Exception texts can quote data, so only the type and the stack
frames are written.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import queue
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

_STANDARD = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None)).keys()
    | {"message", "asctime", "color_message", "taskName"}
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            out["exc_type"] = exc_type.__name__
            out["stack"] = [f"{f.filename}:{f.lineno} {f.name}" for f in traceback.extract_tb(tb)][
                -15:
            ]
        return json.dumps(out, default=str, ensure_ascii=False)


class BackgroundJsonHandler(logging.handlers.QueueHandler):
    """Queues records for a writer thread: a request neither formats nor writes its log line.

    Closing the handler (``logging.shutdown`` at exit) drains the queue first.
    """

    def __init__(self, stream: Any = None) -> None:
        q: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
        super().__init__(q)  # type: ignore[arg-type]
        target = logging.StreamHandler(stream or sys.stderr)
        target.setFormatter(JsonFormatter())
        self.listener = logging.handlers.QueueListener(q, target)  # type: ignore[arg-type]
        self.listener.start()

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record  # formatted by the writer thread (same process: nothing to pickle)

    def close(self) -> None:
        if self.listener._thread is not None:
            self.listener.stop()
        super().close()


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for the server and uvicorn alike."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {
            "stderr": {"()": BackgroundJsonHandler},
        },
        "loggers": {
            "liaison_desktop": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            # uvicorn's own access log has client addresses and query strings: off.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
