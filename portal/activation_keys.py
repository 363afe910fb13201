"""`portal activation-keys issue`: keys for the letters home, as CSV in each guardian's language."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from rich.progress import Progress

from chalicelib import activation, clock, sis
from chalicelib.storage import sis as mirror

HEADER = ["guardian_id", "given_name", "family_name", "language", "activation_key", "expires_at"]


def active_guardians() -> Iterator[sis.Guardian]:
    """Every active guardian in the SIS mirror, in sourcedId order."""
    for guardian_id in mirror.guardian_ids():
        guardian = sis.get_guardian(guardian_id)
        if guardian is not None and guardian.active:
            yield guardian


def issue_keys(guardian_id: str | None, out: Path | None) -> int:
    """Write one CSV row per key issued; return how many were issued."""
    if guardian_id is not None:
        one = sis.get_guardian(guardian_id)
        if one is None or not one.active:
            raise LookupError(f"No active guardian has the sourcedId {guardian_id!r}.")
        if activation.has_account(guardian_id):  # a key could never be used (issue 15, I1)
            raise LookupError(
                f"The guardian {guardian_id!r} already has an account: no key issued."
                " Reactivate the account or set a temporary password instead."
            )
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
                # Only guardians without an account get keys: the SIS's language is theirs (a
                # language chosen in the portal needs an account).
                language = guardian.language
                key = activation.issue(guardian.guardian_id, "cli")
                writer.writerow(
                    [
                        guardian.guardian_id,
                        guardian.first_name,
                        guardian.last_name,
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
