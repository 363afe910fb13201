"""`portal activation-keys issue`: keys for the letters home, as CSV in each guardian's language."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from rich.progress import Progress

from chalicelib import activation, clock, me, sis
from chalicelib.storage import accounts as stored_accounts
from chalicelib.storage import sis as mirror

HEADER = ["guardian_id", "given_name", "family_name", "language", "activation_key", "expires_at"]


def active_guardians() -> Iterator[sis.Guardian]:
    """Every active guardian in the SIS mirror, in sourcedId order."""
    for guardian_id in mirror.guardian_ids():
        guardian = sis.get_guardian(guardian_id)
        if guardian is not None and guardian.active:
            yield guardian


def letter_language(guardian: sis.Guardian) -> str:
    """The letter's language: the one the guardian chose in the portal, else the SIS's."""
    username = stored_accounts.username_of_guardian(guardian.guardian_id)
    account = stored_accounts.get(username) if username else None
    return me.language_of(account, guardian) if account else guardian.language


def issue_keys(guardian_id: str | None, out: Path | None) -> int:
    """Write one CSV row per key issued; return how many were issued."""
    if guardian_id is not None:
        one = sis.get_guardian(guardian_id)
        if one is None or not one.active:
            raise LookupError(f"No active guardian has the sourcedId {guardian_id!r}.")
        targets = [one]
    else:
        targets = [
            g
            for g in active_guardians()
            if not activation.has_account(g.guardian_id)
            and not activation.has_live_key(g.guardian_id)
        ]
    handle: TextIO = open(out, "w", newline="", encoding="utf-8") if out else sys.stdout  # noqa: SIM115
    try:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        expires = clock.iso(clock.now() + activation.KEY_LIFETIME_S)
        with Progress(transient=True, disable=out is None) as progress:
            task = progress.add_task("Issuing keys", total=len(targets))
            for guardian in targets:
                # --all skips guardians with an account: only one named can have chosen a language.
                language = letter_language(guardian) if guardian_id else guardian.language
                key = activation.issue(guardian.guardian_id, "cli")
                writer.writerow(
                    [
                        guardian.guardian_id,
                        guardian.given_name,
                        guardian.family_name,
                        language,
                        key,
                        expires,
                    ]
                )
                progress.advance(task)
    finally:
        if out:
            handle.close()
    return len(targets)
