"""API errors: one JSON shape (``{"error": code, "message": Dutch text}``) for every failure."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from liaison_desktop.server.accounts import AccountError
from liaison_desktop.sync.protocol import ErrorCode

log = logging.getLogger(__name__)

_STATUS_FOR = {
    ErrorCode.TOKEN_MISSING: 401,
    ErrorCode.TOKEN_INVALID: 401,
    ErrorCode.TOKEN_EXPIRED: 401,
    ErrorCode.DEVICE_REVOKED: 401,
    ErrorCode.CODE_INVALID: 401,
    ErrorCode.CODE_USED: 401,
    ErrorCode.CODE_EXPIRED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.INVALID_REQUEST: 422,
    ErrorCode.PROTOCOL_UNSUPPORTED: 400,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.BODY_TOO_LARGE: 413,
}

MESSAGES = {
    ErrorCode.TOKEN_MISSING: "Dit verzoek heeft een apparaattoken nodig; meld deze laptop eerst aan.",
    ErrorCode.TOKEN_INVALID: "Het apparaattoken is onbekend; meld deze laptop opnieuw aan.",
    ErrorCode.TOKEN_EXPIRED: "Het apparaattoken is verlopen; meld deze laptop opnieuw aan.",
    ErrorCode.DEVICE_REVOKED: (
        "Deze laptop is door de beheerder ingetrokken en heeft geen toegang meer."
    ),
    ErrorCode.FORBIDDEN: "U heeft geen toegang tot deze gegevens.",
    ErrorCode.RATE_LIMITED: "Te veel mislukte pogingen; probeer het later opnieuw.",
    ErrorCode.BODY_TOO_LARGE: "Het verzoek is te groot.",
    ErrorCode.NOT_FOUND: "Niet gevonden.",
    ErrorCode.METHOD_NOT_ALLOWED: "Deze methode is hier niet toegestaan.",
    ErrorCode.INVALID_REQUEST: "Het verzoek is ongeldig.",
    ErrorCode.SERVER_ERROR: "Er ging iets mis op de server.",
}


class ApiError(Exception):
    """Raised by dependencies and routes; becomes the JSON error response."""

    def __init__(
        self,
        code: ErrorCode,
        message: str | None = None,
        *,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.code = code
        self.message = message or MESSAGES.get(code, MESSAGES[ErrorCode.SERVER_ERROR])
        self.status = status or _STATUS_FOR.get(code, 400)
        self.headers = dict(headers or {})
        if self.status == 401:
            self.headers.setdefault("WWW-Authenticate", "Bearer")
        super().__init__(self.message)


def error_response(
    status: int, code: ErrorCode | str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": str(code), "message": message}, status, headers=headers)


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.headers)


async def _account_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AccountError)
    return error_response(_STATUS_FOR.get(exc.code, 400), exc.code, exc.message)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Only where and what, never the input itself: it may hold personal data.
    problems = [
        {"loc": [str(p) for p in e.get("loc", ())], "type": e.get("type", "")} for e in exc.errors()
    ][:20]
    return JSONResponse(
        {
            "error": ErrorCode.INVALID_REQUEST.value,
            "message": MESSAGES[ErrorCode.INVALID_REQUEST],
            "problems": problems,
        },
        422,
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {
        404: ErrorCode.NOT_FOUND,
        405: ErrorCode.METHOD_NOT_ALLOWED,
        413: ErrorCode.BODY_TOO_LARGE,
    }.get(exc.status_code)
    if code is None:
        return error_response(exc.status_code, f"http_{exc.status_code}", str(exc.detail))
    return error_response(exc.status_code, code, MESSAGES[code], getattr(exc, "headers", None))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The exception text may quote data; log its type and the route only.
    log.error(
        "unhandled error",
        extra={"exc_type": type(exc).__name__, "path": request.url.path},
    )
    return error_response(500, ErrorCode.SERVER_ERROR, MESSAGES[ErrorCode.SERVER_ERROR])


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(AccountError, _account_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
