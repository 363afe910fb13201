"""What a send still has to do: the audience against the delivery records read before it starts.

A recipient whose record says "sent" is skipped; any other (none yet, "failed", or "sending" =
in doubt after a crash) becomes a Task. Guardians without an address get a "no_address" record
(one per guardian), so `status` can count them; such a record is dropped once they have one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.storage import deliveries

from .audience import Audience, resolve
from .definition import Definition
from .records import Write
from .render import Recipient
from .report import Tally

NO_ADDRESS = "~noaddress#"


@dataclass
class Task:
    """One message to send: its recipient, the record read before the run, and its claim."""

    recipient: Recipient
    previous: dict[str, Any] | None
    attempts: int = 0

    @property
    def sk(self) -> str:
        """The record's sort key."""
        return f"{self.recipient.address}#{self.recipient.lang}"


def plan(
    notice: Definition, dry_run: bool, audience: Audience | None = None
) -> tuple[list[Task], Tally, list[Write], int]:
    """Tasks still to send, counts so far, no-address record writes, and the recipient count."""
    audience = audience or resolve(notice)
    records = {item["sk"]: item for item in deliveries.of_notice(notice.id)}
    tally, tasks, writes = Tally(), [], []
    for recipient in audience.recipients:
        previous = records.get(f"{recipient.address}#{recipient.lang}")
        if previous and previous.get("state") == "sent":
            tally.add(recipient.lang, "skipped")
        else:
            tasks.append(Task(recipient, previous))
    pk = f"delivery#{notice.id}"
    current = set()
    for guardian_id, lang in audience.no_address:
        tally.add(lang, "no_address")
        sk = f"{NO_ADDRESS}{guardian_id}"
        current.add(sk)
        if records.get(sk, {}).get("lang") != lang:
            writes.append({"put": {"pk": pk, "sk": sk, "lang": lang, "state": "no_address"}})
    for sk in records:
        if sk.startswith(NO_ADDRESS) and sk not in current:  # that guardian has an address now
            writes.append({"delete": {"pk": pk, "sk": sk}})
    return tasks, tally, ([] if dry_run else writes), len(audience.recipients)
