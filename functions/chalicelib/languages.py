"""The four languages of the site, the API, the notices and the CLI: their one home."""

from __future__ import annotations

import re

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "vi")
DEFAULT = "en"


def supported(tag: str | None) -> str | None:
    """The language of a tag such as "vi", "fr-CA", "vi_VN" or "ES", if it is one of ours."""
    primary = re.split(r"[-_;]", (tag or "").strip().lower(), maxsplit=1)[0]
    return primary if primary in LANGUAGES else None


def or_default(tag: str | None) -> str:
    """The language of a tag, or the default language for anything else."""
    return supported(tag) or DEFAULT


# Each language by its own name, as a reader looks for it (the site's language links).
NAMES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español", "vi": "Tiếng Việt"}
