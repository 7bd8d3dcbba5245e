"""Health for monitoring: no token, no data; 503 when the database does not answer."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from liaison_desktop import __version__
from liaison_desktop.server.deps import DbDep
from liaison_desktop.server.schemas import ErrorBody, Health
from liaison_desktop.sync.protocol import API_PREFIX, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION

router = APIRouter(prefix=API_PREFIX, tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": ErrorBody, "description": "The database does not answer."}},
)
def health(db: DbDep):  # type: ignore[no-untyped-def]
    try:
        with db.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return JSONResponse(
            {"error": "database_unavailable", "message": "De database antwoordt niet."}, 503
        )
    return Health(
        status="ok",
        version=__version__,
        protocol_version=PROTOCOL_VERSION,
        min_protocol_version=MIN_PROTOCOL_VERSION,
    )
