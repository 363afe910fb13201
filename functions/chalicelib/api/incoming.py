"""What a route reads from the request it serves: query, body, the caller's address and session.

app.py and the blueprints share these, each handing over its own current request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from chalice.app import Request
from pydantic import BaseModel

from .. import sessions
from ..config import settings
from .web import client_ip, parse_model

M = TypeVar("M", bound=BaseModel)


def query_of(request: Request) -> Mapping[str, str]:
    """The query string's parameters (empty when there are none)."""
    params: Mapping[str, str] | None = request.query_params
    return params or {}


def body_of(request: Request, model: type[M]) -> M:
    """The request's JSON body, validated against model."""
    return parse_model(model, request.raw_body, request.headers.get("content-type"))


def ip_of(request: Request) -> str:
    """The caller's IP address, as far as the configured proxies can be trusted."""
    source = request.context.get("identity", {}).get("sourceIp")
    return client_ip(source, request.headers.get("x-forwarded-for"), settings().trusted_proxy_hops)


def session_of(request: Request, allow_password_change: bool = False) -> sessions.Session:
    """The caller's session from the Authorization header."""
    return sessions.authenticate(
        request.headers.get("authorization"), allow_password_change=allow_password_change
    )
