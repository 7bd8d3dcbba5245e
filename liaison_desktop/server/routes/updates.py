"""The signed update manifest that IT published, served as stored (the laptop verifies it).

No token: a laptop checks for updates before it is enrolled too, and the manifest is public
by design (it is signed, not secret). The file lives in the data folder,
``<data_dir>/updates/manifest.json``, written by ``liaison-server admin publish-update``.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from liaison_desktop.server.accounts import AccountError
from liaison_desktop.server.deps import SettingsDep
from liaison_desktop.server.schemas import ErrorBody
from liaison_desktop.sync.protocol import API_PREFIX, ErrorCode

router = APIRouter(prefix=API_PREFIX, tags=["updates"])

MANIFEST_NAME = "manifest.json"
MANIFEST_CONTEXT = b"liaison-desktop update manifest v1\n"
"""What the signature covers before the payload (as in liaison_desktop.sync.signing, which
the server may not import)."""
MAX_MANIFEST_BYTES = 64 * 1024
"""Same limit as the desktop's; admin_cli refuses larger files, this guards a hand edit."""


def manifest_path(data_dir: Path) -> Path:
    return Path(data_dir) / "updates" / MANIFEST_NAME


@router.get(
    "/updates/manifest",
    responses={
        200: {"description": "The signed envelope: payload (base64 JSON), signature, key_id."},
        404: {"model": ErrorBody, "description": "No update has been published."},
    },
)
async def update_manifest(settings: SettingsDep) -> Response:
    path = manifest_path(settings.data_dir)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        data = b""
    except OSError:
        data = b""
    if not data or len(data) > MAX_MANIFEST_BYTES:
        return JSONResponse(
            {"error": ErrorCode.NOT_FOUND, "message": "Er is geen update gepubliceerd."}, 404
        )
    return Response(data, media_type="application/json", headers={"Cache-Control": "no-cache"})


def publish_manifest(data_dir: Path, raw: bytes, public_key: str | None = None) -> dict[str, Any]:
    """Check an envelope's shape (and its signature, given the public key) and store it
    atomically as the one the server serves; returns what was published.

    The laptops verify it again with the key pinned in their provisioning; this check only
    catches an upload of the wrong file.
    """

    def refuse(message: str) -> AccountError:
        return AccountError(ErrorCode.INVALID_REQUEST, message)

    if len(raw) > MAX_MANIFEST_BYTES:
        raise refuse("Het updatebericht is groter dan 64 kB.")
    try:
        envelope = json.loads(raw)
        body = base64.b64decode(envelope["payload"], validate=True)
        signature = base64.b64decode(envelope["signature"], validate=True)
        payload = json.loads(body)
        version = str(payload["version"])
        expires = str(payload["expires"])
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise refuse(
            "Dit is geen ondertekend updatebericht (packaging/build.py manifest)."
        ) from None
    if public_key is not None:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        try:
            key = load_pem_public_key(public_key.encode())
            key.verify(signature, MANIFEST_CONTEXT + body)  # type: ignore[union-attr]
        except (ValueError, TypeError, AttributeError, InvalidSignature):
            raise refuse(
                "De handtekening van het updatebericht klopt niet met deze sleutel."
            ) from None
    target = manifest_path(data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(raw)
    os.replace(tmp, target)
    return {"id": version, "version": version, "expires": expires, "path": str(target)}
