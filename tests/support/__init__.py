"""Helpers shared by the test modules: test data, API calls, the OpenAPI document, notices."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
