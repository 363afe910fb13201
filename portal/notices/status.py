"""`portal notices status ID`: the delivery records of a notice, counted per language."""

from __future__ import annotations

from chalicelib.storage import deliveries

from .report import Tally

STATES = {"sent": "sent", "sending": "in_doubt", "no_address": "no_address"}


def status(notice_id: str) -> tuple[Tally, int]:
    """Counts per language from the records (sent, in doubt, failed, no address), and records."""
    tally = Tally()
    records = deliveries.of_notice(notice_id)
    for item in records:
        lang = str(item.get("lang", "en"))
        state = str(item.get("state", ""))
        if state == "failed":
            tally.fail(lang, str(item.get("error") or "unknown error"))
        elif state in STATES:
            tally.add(lang, STATES[state])
    return tally, len(records)
