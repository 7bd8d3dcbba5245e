"""Response documentation shared by the routes (for the OpenAPI document)."""

from __future__ import annotations

from typing import Any

from liaison_desktop.server.schemas import ErrorBody

_E: dict[str, Any] = {"model": ErrorBody}

AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {**_E, "description": "No valid device token (missing, unknown, expired, revoked)."},
    403: {**_E, "description": "The role or the resource is not allowed for this device."},
    413: {**_E, "description": "Request body too large."},
    422: {**_E, "description": "Invalid request."},
}
