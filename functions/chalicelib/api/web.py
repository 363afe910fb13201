"""Request parsing and response building shared by every route."""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from chalice import CORSConfig, Response
from pydantic import BaseModel, ValidationError

from .. import languages
from ..config import settings
from ..errors import DomainError, InvalidRequest, StorageUnavailable
from .codes import message_of, status_of

MAX_BODY_BYTES = 16 * 1024
SAFE_FIELD = re.compile(r"[A-Za-z0-9_.]{1,100}")  # field names safe to name in an error
M = TypeVar("M", bound=BaseModel)
log = logging.getLogger("portal.api")

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Type": "application/json; charset=utf-8",
}


def cors() -> CORSConfig:
    """CORS for the site's one origin."""
    return CORSConfig(
        allow_origin=settings().site_origin,
        allow_headers=["Authorization", "Content-Type", "Accept-Language"],
        max_age=600,
    )


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response with the security headers every answer carries."""
    return Response(
        body="" if body is None else json.dumps(body, ensure_ascii=False),
        status_code=status,
        headers={**SECURITY_HEADERS, **(headers or {})},
    )


def error_response(code: str, message: str | None = None, **extra: Any) -> Response:
    """The contract's error body `{"error", "message", ...}` with the code's status."""
    body: dict[str, Any] = {"error": code, "message": message or message_of(code)}
    body.update({k: v for k, v in extra.items() if v is not None})
    headers = {}
    if "retry_after" in body:
        headers["Retry-After"] = str(body["retry_after"])
    return json_response(body, status_of(code), headers)


def parse_json(raw: bytes | str | None, content_type: str | None) -> Any:
    """Decode a JSON request body or raise DomainError(invalid_request)."""
    if content_type and content_type.split(";")[0].strip().lower() != "application/json":
        raise InvalidRequest("Send the body as application/json.", field="Content-Type")
    # Chalice hands the body over as bytes; a str (tests) counts in its UTF-8 bytes.
    raw = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else (raw or b"")
    if len(raw) > MAX_BODY_BYTES:
        raise InvalidRequest("The request body is larger than 16 KiB.")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: deep nesting
        raise InvalidRequest("The request body is not valid UTF-8 JSON.") from None


def parse_model(model: type[M], raw: bytes | str | None, content_type: str | None) -> M:
    """Decode and validate a body against a pydantic model."""
    data = parse_json(raw, content_type)
    if not isinstance(data, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or None
        field = field if field and SAFE_FIELD.fullmatch(field) else None  # never echo odd keys
        raise InvalidRequest(
            f"{field or 'body'}: {first.get('msg', 'invalid')}", field=field
        ) from None


def guarded(view: Callable[..., Any]) -> Callable[..., Any]:
    """Map domain errors to contract responses; no exception reaches Chalice's defaults."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = view(*args, **kwargs)
        except DomainError as err:
            return error_response(err.code, _message(err), **err.extra)
        except StorageUnavailable as err:
            log.warning("database unavailable: %s", err)
            return error_response("unavailable")
        except Exception:
            log.exception("unhandled error")
            return error_response("internal_error")
        if isinstance(result, Response):
            result.headers = {**SECURITY_HEADERS, **result.headers}
            return result
        return json_response(result)

    return wrapper


def _message(err: DomainError) -> str | None:
    """The refusal's own message, if it says more than the code's sentence in codes.py."""
    return str(err) or None


def rewrite_chalice_errors(response: Response) -> Response:
    """Replace Chalice's own `{"Code","Message"}` answers with the contract's shape."""
    body = response.body
    if isinstance(body, dict) and "Code" in body and "Message" in body:
        code = {
            405: "method_not_allowed",
            415: "invalid_request",
            500: "internal_error",
        }.get(response.status_code, "invalid_request")
        replacement = error_response(code)
        if code == "invalid_request" and response.status_code == 415:
            replacement = error_response(
                code, "Send the body as application/json.", field="Content-Type"
            )
        replacement.headers = {**response.headers, **replacement.headers}
        return replacement
    return response


def language(
    query: Mapping[str, str] | None, accept_language: str | None, default: str = languages.DEFAULT
) -> str:
    """`?lang=` first, then the first supported Accept-Language entry, else default."""
    wanted = languages.supported((query or {}).get("lang"))
    if wanted:
        return wanted
    for part in (accept_language or "").split(","):
        found = languages.supported(part)
        if found:
            return found
    return default


def client_ip(source_ip: str | None, forwarded_for: str | None, trusted_hops: int) -> str:
    """The caller's IP: the gateway's source IP, or the Nth X-Forwarded-For entry from the right."""
    if trusted_hops > 0 and forwarded_for:
        hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
        if len(hops) >= trusted_hops:
            return hops[-trusted_hops]
    return source_ip or "unknown"


def log_request(request: Any, status: int, started: float) -> None:
    """One JSON line per request: ids, route template, status, duration — never a secret.

    Only the route template is logged (never the path, query, headers or body), so no
    token, password, answer or key can reach the logs (QUALITY S8); json.dumps escapes
    control characters, so no value can forge a line.
    """
    context = getattr(request, "context", None) or {}
    log.info(
        json.dumps(
            {
                "request_id": context.get("requestId"),
                "method": getattr(request, "method", None),
                "route": context.get("resourcePath"),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
        )
    )
