"""functions/openapi.yaml: the document, its operations, and a response checked against it."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from . import ROOT

SPEC_PATH = ROOT / "functions" / "openapi.yaml"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@cache
def load_spec() -> dict[str, Any]:
    """The OpenAPI document as plain data."""
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def resolve(node: Any, spec: dict[str, Any] | None = None) -> Any:
    """A copy of node with every local `$ref` replaced by what it points to."""
    spec = spec or load_spec()
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return resolve(target, spec)
        return {key: resolve(value, spec) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(value, spec) for value in node]
    return node


def template_regex(template: str) -> re.Pattern[str]:
    """The paths a documented template such as /students/{student_id} stands for."""
    pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
    return re.compile(f"^{pattern}$")


def find_operation(method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The documented (template, operation) serving `method path`; fails if there is none."""
    paths = load_spec()["paths"]
    # Static templates first: /staff/reset-tickets must not be read as a templated path.
    templates = sorted(paths, key=lambda t: ("{" in t, t))
    for template in templates:
        if template_regex(template).match(path) and method.lower() in paths[template]:
            return template, resolve(paths[template][method.lower()])
    pytest.fail(f"{method.upper()} {path}: no operation in {SPEC_PATH.name}")


def validator_for(schema: dict[str, Any]) -> Any:
    """An OpenAPI 3.0 schema validator (nullable, formats) for one resolved schema."""
    from openapi_schema_validator import OAS30Validator, oas30_format_checker

    return OAS30Validator(schema, format_checker=oas30_format_checker)


def schema_errors(schema: dict[str, Any], instance: Any) -> list[str]:
    """Readable validation errors of instance against schema (empty when it conforms)."""
    from jsonschema.exceptions import relevance

    errors = sorted(validator_for(schema).iter_errors(instance), key=relevance)
    return [f"{e.message} (at /{'/'.join(str(p) for p in e.absolute_path)})" for e in errors[:5]]


def conform(method: str, path: str, status: int, headers: dict[str, str], body: bytes) -> str:
    """Fail unless a response is what the document promises; return 'METHOD /template'."""
    template, operation = find_operation(method, urlsplit(path).path)
    label = f"{method.upper()} {template}"
    text = body.decode("utf-8", "replace")
    responses = operation["responses"]
    if str(status) not in responses:
        pytest.fail(
            f"{label}: status {status} is not documented (listed: {sorted(responses)});"
            f" body {text[:300]!r}"
        )
    documented = responses[str(status)]
    lowered = {k.lower(): v for k, v in headers.items()}
    content = documented.get("content")
    if content is None:
        if body:
            pytest.fail(f"{label} → {status}: documented without a body, got {text[:300]!r}")
    elif "text/csv" in content:
        if not lowered.get("content-type", "").startswith("text/csv"):
            pytest.fail(f"{label} → {status}: Content-Type {lowered.get('content-type')!r}")
    else:
        content_type = lowered.get("content-type", "")
        if not content_type.startswith("application/json"):
            pytest.fail(f"{label} → {status}: Content-Type {content_type!r}, not JSON")
        try:
            data = json.loads(body)
        except ValueError:
            pytest.fail(f"{label} → {status}: body is not JSON: {text[:300]!r}")
        problems = schema_errors(content["application/json"]["schema"], data)
        if problems:
            pytest.fail(
                f"{label} → {status}: body does not match the document: "
                f"{'; '.join(problems)}; body {text[:500]!r}"
            )
    for name, header in documented.get("headers", {}).items():
        if header.get("required") and name.lower() not in lowered:
            pytest.fail(f"{label} → {status}: required header {name} is missing")
    return label
