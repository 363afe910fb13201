"""API Gateway's own answers (unknown route, throttling, too large, 5xx) in the contract's shape.

Without these, API Gateway answers an unknown path with 403 `{"message": "Missing
Authentication Token"}`, and a Bearer token sent to an unknown path with a 403 that echoes the
token back. The API uses no authorizer, API key or IAM signature, so every authentication-type
failure can only mean "no such route" and becomes 404 `not_found`. Bodies are static: nothing
from the request is ever echoed.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.api.codes import ERRORS

# response type -> (status, contract code, message or None for the code's own sentence)
MAPPING: dict[str, tuple[int, str, str | None]] = {
    "MISSING_AUTHENTICATION_TOKEN": (404, "not_found", None),
    "RESOURCE_NOT_FOUND": (404, "not_found", None),
    "INVALID_SIGNATURE": (404, "not_found", None),
    "EXPIRED_TOKEN": (404, "not_found", None),
    "INVALID_API_KEY": (404, "not_found", None),
    "UNAUTHORIZED": (404, "not_found", None),
    "ACCESS_DENIED": (403, "forbidden", None),
    "WAF_FILTERED": (403, "forbidden", None),
    "BAD_REQUEST_BODY": (400, "invalid_request", None),
    "BAD_REQUEST_PARAMETERS": (400, "invalid_request", None),
    "REQUEST_TOO_LARGE": (400, "invalid_request", "The request body is larger than 16 KiB."),
    "UNSUPPORTED_MEDIA_TYPE": (400, "invalid_request", "Send the body as application/json."),
    "THROTTLED": (429, "too_many_attempts", None),
    "QUOTA_EXCEEDED": (429, "too_many_attempts", None),
    # Anything else the gateway refuses: the contract's answer for a path it does not serve.
    # (Setting DEFAULT_4XX's status applies to every 4XX type not listed above.)
    "DEFAULT_4XX": (404, "not_found", None),
    # The function timed out, was throttled or could not be reached: never a bare 5xx.
    "DEFAULT_5XX": (503, "unavailable", None),
    "INTEGRATION_FAILURE": (503, "unavailable", None),
    "INTEGRATION_TIMEOUT": (503, "unavailable", None),
    "API_CONFIGURATION_ERROR": (503, "unavailable", None),
}
RETRY_AFTER_SECONDS = {"too_many_attempts": 1, "unavailable": 5}
# Extra body fields for some codes (the contract's 400s name a field; 429s carry retry_after).
EXTRA: dict[str, dict[str, Any]] = {
    "UNSUPPORTED_MEDIA_TYPE": {"field": "Content-Type"},
}


def body(response_type: str) -> dict[str, Any]:
    """The JSON body the gateway answers for one response type."""
    status, code, message = MAPPING[response_type]
    content: dict[str, Any] = {"error": code, "message": message or ERRORS[code][1]}
    content.update(EXTRA.get(response_type, {}))
    if code == "too_many_attempts":
        content["retry_after"] = RETRY_AFTER_SECONDS[code]
    return content


def gateway_responses(origin: Any) -> dict[str, Any]:
    """The `x-amazon-apigateway-gateway-responses` object; origin is the allowed CORS origin
    (a string or a CloudFormation intrinsic resolving to one)."""
    quoted_origin = (
        f"'{origin}'"
        if isinstance(origin, str)
        else {"Fn::Sub": ["'${Origin}'", {"Origin": origin}]}
    )
    responses = {}
    for response_type, (status, code, _) in MAPPING.items():
        headers: dict[str, Any] = {
            "gatewayresponse.header.Access-Control-Allow-Origin": quoted_origin,
            "gatewayresponse.header.Cache-Control": "'no-store'",
            "gatewayresponse.header.X-Content-Type-Options": "'nosniff'",
        }
        if code in RETRY_AFTER_SECONDS:
            headers["gatewayresponse.header.Retry-After"] = f"'{RETRY_AFTER_SECONDS[code]}'"
        responses[response_type] = {
            "statusCode": str(status),
            "responseParameters": headers,
            "responseTemplates": {
                "application/json": json.dumps(body(response_type), separators=(",", ":"))
            },
        }
    return responses
