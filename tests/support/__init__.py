"""Helpers the test modules share: test data, API calls, OpenAPI, notices, stack, fakes."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
