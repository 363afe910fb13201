"""`portal notices send`: a generated district through the real local SMTP server, exactly once.

The district is made by `portal sis generate` and imported into DynamoDB Local; mail goes to
portal.mailserver (aiosmtpd) on a free port and is read back from its .eml files.
"""

from __future__ import annotations

import csv
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import ANY, Stubber

from chalicelib.storage import deliveries
from portal.notices import audience, definition, mailer, send
from portal.notices import ses as ses_adapter
from portal.notices.limiter import TokenBucket
from portal.notices.status import status

from .support.notices import (
    DEMO_NOTICE,
    generate_district,
    guardians_in_csv,
    private_tables,
    read_mail,
)

SUBJECT = {"en": "Back to school 2026-2027", "fr": "Rentrée 2026-2027",
           "es": "Regreso a clases 2026-2027", "vi": "Tựu trường năm học 2026-2027"}  # fmt: skip
DEADLINE = {"en": "August 3, 2026", "fr": "3 août 2026", "es": "3 de agosto de 2026",
            "vi": "ngày 3 tháng 8 năm 2026"}  # fmt: skip


@pytest.fixture(scope="module")
def district(dynamodb: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A generated 300-student district in this module's own tables."""
    with private_tables("ntcsend-"):
        yield generate_district(tmp_path_factory.mktemp("sis") / "export", 300, seed=11)


def notice(notice_id: str, **changes: Any) -> definition.Definition:
    return definition.parse({**definition.read(DEMO_NOTICE), "id": notice_id, **changes})


def expected_pairs(export: Path) -> set[tuple[str, str]]:
    """(address, language) of every linked guardian with an address, straight from the CSV."""
    guardians = guardians_in_csv(export)
    with open(export / "users.csv", encoding="utf-8", newline="") as handle:
        students = {r["sourcedId"]: r for r in csv.DictReader(handle) if r["role"] == "student"}
    linked = set()
    for row in students.values():
        linked |= {g for g in row["agentSourcedIds"].split(",") if g in guardians}
    with open(export / "relationships.csv", encoding="utf-8", newline="") as handle:
        linked |= {r["guardianSourcedId"] for r in csv.DictReader(handle)}
    return {(guardians[g].email, guardians[g].language) for g in linked if guardians[g].email}


class FakeMailer:
    """Records what it is asked to send; can fail one address or set `stop` after n messages."""

    def __init__(self, sink: list[str], stop_after: tuple[int, threading.Event] | None = None,
                 refuse: str | None = None, clock: list[float] | None = None) -> None:  # fmt: skip
        self.sink, self.stop_after, self.refuse, self.clock = sink, stop_after, refuse, clock
        self.times: list[float] = []

    def send(self, raw: bytes, sender: str, to: str) -> str:
        if to == self.refuse:
            raise mailer.MailRejected("SMTP 550 refused: mailbox unavailable")
        self.sink.append(to + "|" + raw.split(b"Content-Language: ")[1][:2].decode())
        if self.clock is not None:
            self.times.append(self.clock[0])
        if self.stop_after and len(self.sink) == self.stop_after[0]:
            self.stop_after[1].set()  # as the SIGTERM handler does, mid-message
        return ""

    def close(self) -> None:
        pass


def states(notice_id: str) -> Counter[str]:
    return Counter(item["state"] for item in deliveries.of_notice(notice_id))


def test_send_to_a_generated_district_through_the_real_smtp_server(
    district: Path, smtp: Path
) -> None:
    first = notice("bts-smtp")
    recipients = audience.resolve(first).recipients
    assert {(r.address, r.lang) for r in recipients} == expected_pairs(district)
    outcome = send.send(first)
    assert outcome.exit_code == 0 and outcome.tally.total("sent") == len(recipients) > 150
    mail = read_mail(smtp)
    assert len(mail) == len(recipients)
    pairs = Counter((m["To"], m["Content-Language"]) for m in mail)
    assert set(pairs) == {(r.address, r.lang) for r in recipients} and max(pairs.values()) == 1
    assert {m["Content-Language"] for m in mail} == {"en", "fr", "es", "vi"}
    for message in mail:
        lang, to = message["Content-Language"], message["To"]
        assert message["Subject"].startswith(SUBJECT[lang])
        text = message.get_body(("plain",)).get_content()
        assert (
            DEADLINE[lang] in text and DEADLINE[lang] in message.get_body(("html",)).get_content()
        )
        assert message["Message-ID"] == mailer.message_id(first.id, to, lang, "district.example")
        # The sender's name in the reader's language (RFC 2047-decoded by the parser).
        assert first.sender is not None
        assert message["From"].addresses[0].display_name == first.sender.name_in(lang)
        assert message["From"].addresses[0].addr_spec == "notices@district.example"
        assert message["X-Envelope-To"] == to
    counts, _ = status(first.id)
    assert counts.total("sent") == len(recipients) and counts.total("in_doubt") == 0
    assert counts.total("no_address") == outcome.tally.total("no_address") > 0
    again = send.send(first)  # a re-run sends nothing: everything is recorded as sent
    assert again.tally.total("sent") == 0 and again.tally.total("skipped") == len(recipients)
    assert len(read_mail(smtp)) == len(recipients)


def test_guardians_sharing_an_address_get_one_message(district: Path) -> None:
    recipients = audience.resolve(notice("bts-shared")).recipients
    shared = [r for r in recipients if len(r.names) > 1]
    assert shared, "the generated district has guardians sharing an address"
    keys = Counter((r.address, r.lang) for r in recipients)
    assert max(keys.values()) == 1


def test_dry_run_sends_and_writes_nothing(district: Path, smtp: Path) -> None:
    dry = notice("bts-dry")
    outcome = send.send(dry, dry_run=True)
    assert outcome.tally.total("sent") == len(audience.resolve(dry).recipients)
    assert read_mail(smtp) == [] and deliveries.of_notice(dry.id) == []


def test_in_doubt_records_are_resent_once_with_the_same_message_id(
    district: Path, smtp: Path
) -> None:
    doubt = notice("bts-doubt")
    recipients = audience.resolve(doubt).recipients
    crashed = recipients[:3]  # as a SIGKILL leaves them: "sending", maybe delivered
    deliveries.write(
        [{"put": {"pk": f"delivery#{doubt.id}", "sk": f"{r.address}#{r.lang}", "lang": r.lang,
                  "state": "sending", "attempts": 1}} for r in crashed]
    )  # fmt: skip
    before, _ = status(doubt.id)
    assert before.total("in_doubt") == 3
    outcome = send.send(doubt)
    assert outcome.tally.total("resent") == 3
    assert outcome.tally.total("sent") == len(recipients)
    ids = Counter(m["Message-ID"] for m in read_mail(smtp))
    assert len(ids) == len(recipients) and max(ids.values()) == 1
    after, _ = status(doubt.id)
    assert after.total("in_doubt") == 0 and after.total("sent") == len(recipients)
    attempts = {
        i["sk"]: i["attempts"] for i in deliveries.of_notice(doubt.id) if i["state"] == "sent"
    }
    assert attempts[f"{crashed[0].address}#{crashed[0].lang}"] == 2


def test_stop_finishes_the_message_in_flight_and_gives_unused_claims_back(district: Path) -> None:
    stopping = notice("bts-stop")
    everyone = {f"{r.address}|{r.lang}" for r in audience.resolve(stopping).recipients}
    sent: list[str] = []
    stop = threading.Event()
    outcome = send.send(stopping, in_flight=8, workers=1, stop=stop,
                        mailer_factory=lambda: FakeMailer(sent, stop_after=(40, stop)))  # fmt: skip
    assert outcome.stopped and outcome.exit_code == 0 and len(sent) == 40
    assert outcome.tally.total("not_sent") == len(everyone) - 40
    assert states(stopping.id)["sent"] == 40 and states(stopping.id)["sending"] == 0
    send.send(stopping, mailer_factory=lambda: FakeMailer(sent))
    assert len(sent) == len(everyone) and set(sent) == everyone


def test_two_senders_at_once_never_send_one_message_twice(district: Path) -> None:
    racing = notice("bts-race")
    everyone = {f"{r.address}|{r.lang}" for r in audience.resolve(racing).recipients}
    sinks: list[list[str]] = [[], []]
    runs = [
        threading.Thread(target=send.send, args=(racing,),
                         kwargs={"in_flight": 4, "mailer_factory": lambda s=s: FakeMailer(s)})
        for s in sinks
    ]  # fmt: skip
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert not set(sinks[0]) & set(sinks[1])
    assert sorted(sinks[0] + sinks[1]) == sorted(everyone)


def test_a_refused_message_is_recorded_as_failed_and_retried_next_time(district: Path) -> None:
    refusing = notice("bts-refuse")
    recipients = audience.resolve(refusing).recipients
    victim = recipients[5].address
    sent: list[str] = []
    outcome = send.send(refusing, mailer_factory=lambda: FakeMailer(sent, refuse=victim))
    assert outcome.exit_code == 0 and len(sent) == len(recipients) - 1
    counts, _ = status(refusing.id)
    lang = recipients[5].lang
    assert counts.langs[lang].failed == Counter({"SMTP 550 refused: mailbox unavailable": 1})
    retry = send.send(refusing, mailer_factory=lambda: FakeMailer(sent))
    assert retry.tally.total("sent") == 1 and sent[-1].startswith(victim)


@pytest.mark.unit
def test_the_rate_limit_schedule() -> None:
    now = [100.0]
    bucket = TokenBucket(8, clock=lambda: now[0], sleep=lambda d: now.__setitem__(0, now[0] + d))
    times = [bucket.take() for _ in range(40)]
    assert times == pytest.approx([100.0 + k / 8 for k in range(40)])
    for start in times:  # any one-second window holds at most rate + burst tokens
        assert sum(start <= t < start + 1 for t in times) <= 8 + 1
    unlimited = TokenBucket(None, clock=lambda: now[0])
    assert {unlimited.take() for _ in range(100)} == {now[0]}


def test_send_follows_the_limiter_schedule(district: Path) -> None:
    paced = notice("bts-paced")
    now = [0.0]
    bucket = TokenBucket(25, clock=lambda: now[0], sleep=lambda d: now.__setitem__(0, now[0] + d))
    fake = FakeMailer([], clock=now)
    outcome = send.send(paced, rate=25, bucket=bucket, mailer_factory=lambda: fake)
    count = outcome.tally.total("sent")
    assert count == len(fake.times) > 100
    assert all(t >= k / 25 - 1e-9 for k, t in enumerate(fake.times))
    assert max(sum(s <= t < s + 1 for t in fake.times) for s in fake.times) <= 26


def test_ses_adapter_retries_throttling_and_records_permanent_failures(
    dynamodb: str, tmp_path: Path
) -> None:
    with private_tables("ntcses-"):
        generate_district(tmp_path / "export", 12, seed=3)
        ses = notice("bts-ses")
        recipients = audience.resolve(ses).recipients
        adapters: list[mailer.SesMailer] = []

        def factory() -> mailer.SesMailer:
            adapters.append(mailer.SesMailer(sleep=lambda seconds: None))
            return adapters[-1]

        with Stubber(ses_adapter.client()) as stub:
            stub.add_client_error("send_email", "TooManyRequestsException", "slow down", 429)
            stub.add_response("send_email", {"MessageId": "ses-0"})
            stub.add_client_error("send_email", "MessageRejected", "Address blacklisted.", 400)
            for n in range(2, len(recipients)):
                params = {"FromEmailAddress": "notices@district.example",
                          "Destination": {"ToAddresses": [recipients[n].address]},
                          "Content": {"Raw": {"Data": ANY}}}  # fmt: skip
                stub.add_response("send_email", {"MessageId": f"ses-{n}"}, params)
            outcome = send.send(ses, in_flight=1, mailer_factory=factory)
            stub.assert_no_pending_responses()
        assert adapters[0].retries == 1
        assert outcome.tally.total("sent") == len(recipients) - 1
        failed = [i for i in deliveries.of_notice(ses.id) if i["state"] == "failed"]
        assert len(failed) == 1 and failed[0]["sk"].startswith(recipients[1].address)
        assert failed[0]["error"] == "MessageRejected: Address blacklisted."
        provider = {i["provider_id"] for i in deliveries.of_notice(ses.id) if i["state"] == "sent"}
        assert "ses-0" in provider and len(provider) == len(recipients) - 1


def test_ses_throttled_for_good_stops_the_run(dynamodb: str, tmp_path: Path) -> None:
    with private_tables("ntcses2-"):
        generate_district(tmp_path / "export", 6, seed=4)
        ses = notice("bts-ses-down")
        with Stubber(ses_adapter.client()) as stub:
            for _ in range(3):
                stub.add_client_error("send_email", "TooManyRequestsException", "slow", 429)
            outcome = send.send(
                ses, in_flight=1,
                mailer_factory=lambda: mailer.SesMailer(sleep=lambda s: None, attempts=3),
            )  # fmt: skip
        assert outcome.exit_code == 1 and "still throttled after 3 tries" in str(outcome.error)
        assert states(ses.id)["sending"] == 0 and states(ses.id)["failed"] == 1


def test_cli_status(district: Path) -> None:
    from typer.testing import CliRunner

    from portal.cli import app

    result = CliRunner().invoke(app, ["notices", "status", "bts-smtp"])  # sent by the first test
    assert result.exit_code == 0 and "in doubt" in result.output and "no address" in result.output
    assert CliRunner().invoke(app, ["notices", "status", "Not An Id"]).exit_code == 1
