"""P4 (send): `portal notices send` to the local SMTP server vs raw smtplib to the same server.

    .venv/bin/python bench/notices_send.py [--students 5500] [--rounds 3] [--rate 50]

Set-up (untimed): a private in-memory DynamoDB Local; `portal sis generate` district imported
(5,500 students give ≈ 5,000 messages); the local SMTP server (portal.mailserver, which keeps
every message as .eml) in its own process; the notice's audience resolved once.
  raw       every message pre-rendered (the very bytes our pipeline makes), then sent with
            smtplib.SMTP.sendmail over one connection: the floor;
  pipeline  send.send() with --rate unlimited, as `portal notices send` runs it: per message
            render + MIME, the "sending" record before and the "sent" record after (group
            commits to DynamoDB), SMTP over its default two connections. The audience scan is
            timed apart;
  raw_2_connections  the same bytes over two smtplib connections in two threads, for reference (not
            the bar's floor).
Rounds alternate raw / pipeline (a new notice id each time, the mail folder emptied between);
the CPU each process used per message (this client, the SMTP server, DynamoDB Local) is
reported too, since on a shared machine it varies less than the wall clock.
Bar: pipeline messages/s ≥ 0.8 × raw messages/s (totals over the rounds).
Then --rate: the pipeline at --rate R (in flight 1, its default with a rate) and at 4 × R with
--in-flight 64; the time each message is handed to the server is logged: the achieved rate
and the most messages in any 1-second window must not exceed the rate (+1 for the bucket's
single token).
Figures go to stdout and bench/results/notices_send.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, cpu_seconds, private_dynamodb, write_result  # noqa: E402

BAR = 0.8
NOTICE = ROOT / "notices" / "back-to-school-2026-27.yml"


def start_smtp(port: int, mail: Path) -> subprocess.Popen[bytes]:
    """portal.mailserver in a child process (its own interpreter and GIL), ready to accept."""
    code = ("import sys, time; from pathlib import Path; from portal import mailserver; "
            f"mailserver.start({port}, Path({str(mail)!r})); print('ready', flush=True); "
            "time.sleep(10**6)")  # fmt: skip
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE)
    assert process.stdout is not None and process.stdout.readline().strip() == b"ready"
    return process


def empty(mail: Path) -> None:
    for path in mail.glob("*.eml"):
        path.unlink()


def raw_round(messages: list[tuple[str, bytes]], sender: str, port: int) -> float:
    smtp = smtplib.SMTP("127.0.0.1", port)
    start = time.perf_counter()
    for to, raw in messages:
        smtp.sendmail(sender, [to], raw)
    seconds = time.perf_counter() - start
    smtp.quit()
    return seconds


def raw_two(messages: list[tuple[str, bytes]], sender: str, port: int) -> float:
    """The same bytes over two connections in two threads (a reference, not the floor)."""
    halves = [messages[0::2], messages[1::2]]
    threads = [threading.Thread(target=raw_round, args=(h, sender, port)) for h in halves]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


def paced(send, notice, audience, rate: float, in_flight: int | None) -> dict:
    """Send at `rate`; return the achieved rate and the busiest 1-second windows.

    Two clocks: the times the token bucket granted (its schedule, which the bar is about) and
    the times the messages reached the mail adapter (a few ms later, in any order between the
    two connections).
    """
    from portal.notices.limiter import TokenBucket
    from portal.notices.mailer import SmtpMailer

    granted: list[float] = []
    handed: list[float] = []

    class Logged(SmtpMailer):
        def send(self, raw: bytes, sender: str, to: str) -> str:
            handed.append(time.monotonic())
            return super().send(raw, sender, to)

    class Bucket(TokenBucket):
        def take(self) -> float:
            when = super().take()
            granted.append(when)
            return when

    def busiest(times: list[float]) -> int:
        ordered = sorted(times)
        return max(sum(s <= t < s + 1 for t in ordered) for s in ordered)

    outcome = send.send(notice, rate=rate, in_flight=in_flight, audience=audience,
                        mailer_factory=Logged, bucket=Bucket(rate))  # fmt: skip
    assert outcome.exit_code == 0 and len(handed) == len(audience.recipients)
    handed.sort()
    achieved = (len(handed) - 1) / (handed[-1] - handed[0])
    schedule = busiest(granted)
    return {
        "rate": rate,
        "in_flight": in_flight or send.default_in_flight(rate),
        "messages": len(handed),
        "achieved_per_s": round(achieved, 2),
        "busiest_1s_window_schedule": schedule,
        "busiest_1s_window_handed_over": busiest(handed),
        "within_rate": achieved <= rate and schedule <= rate + 1,
    }


class Meter:
    """Wall time and CPU (this client, the SMTP server, DynamoDB Local) per side, summed."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.seconds = {"raw": 0.0, "pipeline": 0.0, "raw_2_connections": 0.0}
        self.cpu = {side: dict.fromkeys(pids, 0.0) for side in self.seconds}

    def run(self, side: str, work: Callable[[], object]) -> float:
        before = {k: cpu_seconds(pid) for k, pid in self.pids.items()}
        started = time.perf_counter()
        work()
        seconds = time.perf_counter() - started
        for k, pid in self.pids.items():
            self.cpu[side][k] += cpu_seconds(pid) - before[k]
        self.seconds[side] += seconds
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=5500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="bench-notices-"))
    with private_dynamodb("bench-notices-") as db:
        from chalicelib import config
        from portal import dynamodb_local
        from portal.notices import audience as audiences
        from portal.notices import definition, mailer, send
        from portal.notices.audience import Audience
        from portal.notices.render import Renderer
        from portal.sis.importer import import_export
        from portal.synthetic.generate import generate_district

        print(f"generating and importing {args.students:,} students…", flush=True)
        generate_district(args.students, args.seed, work / "export")
        import_export(work / "export", progress=False)
        port = dynamodb_local.free_port()
        os.environ["PORTAL_SMTP_PORT"] = str(port)
        config.settings.cache_clear()  # the mailer reads the port from settings()
        server = start_smtp(port, work / "mail")
        try:
            base = definition.load(NOTICE)
            started = time.perf_counter()
            audience = audiences.resolve(base)
            scan = time.perf_counter() - started
            count = len(audience.recipients)
            renderer = Renderer(base)
            header, sender = mailer.sender_of(base.sender.name, base.sender.email)

            def raw_bytes(r: object) -> bytes:
                msg_id = mailer.message_id(base.id, r.address, r.lang, "district.example")
                message = renderer.message(r)
                return mailer.mime(message, lang=r.lang, to=r.address, from_header=header,
                                   notice_id=base.id, msg_id=msg_id)  # fmt: skip

            messages = [(r.address, raw_bytes(r)) for r in audience.recipients]
            size = sum(len(raw) for _, raw in messages) / count
            print(f"{count:,} messages of {size / 1024:.1f} KiB; audience scan {scan:.1f} s")
            # warm-up of both sides (the server, DynamoDB Local's JIT), untimed
            raw_round(messages[:1000], sender, port)
            send.send(base.model_copy(update={"id": "bench-warm"}),
                      audience=Audience(audience.recipients[:1000]))  # fmt: skip
            empty(work / "mail")
            meter = Meter({"client": os.getpid(), "smtp server": server.pid,
                           "DynamoDB Local": db.process.pid})  # fmt: skip
            ratios, calls = [], 0
            for n in range(args.rounds):
                raw_s = meter.run("raw", lambda: raw_round(messages, sender, port))
                empty(work / "mail")
                notice = base.model_copy(update={"id": f"bench-send-{n}"})
                done: list[object] = []
                pipe_s = meter.run("pipeline", lambda n=notice, d=done: d.append(
                    send.send(n, audience=audience)))  # fmt: skip
                empty(work / "mail")
                outcome = done[0]
                assert outcome.exit_code == 0 and outcome.tally.total("sent") == count
                calls += outcome.record_calls
                meter.run("raw_2_connections", lambda: raw_two(messages, sender, port))
                empty(work / "mail")
                ratios.append(raw_s / pipe_s)
                print(
                    f"  round {n + 1}: raw {count / raw_s:,.0f}/s, "
                    f"pipeline {count / pipe_s:,.0f}/s, ratio {ratios[-1]:.2f}",
                    flush=True,
                )
            total = count * args.rounds
            rate = {k: total / v for k, v in meter.seconds.items()}
            ratio = rate["pipeline"] / rate["raw"]
            cpu = {side: {k: round(v / total * 1000, 3) for k, v in used.items()}
                   for side, used in meter.cpu.items()}  # fmt: skip
            print(f"raw smtplib : {rate['raw']:,.0f} messages/s; CPU ms/message {cpu['raw']}")
            print(f"raw, 2 conn.: {rate['raw_2_connections']:,.0f} messages/s (reference)")
            print(
                f"pipeline    : {rate['pipeline']:,.0f} messages/s; CPU ms/message "
                f"{cpu['pipeline']}; {calls / args.rounds:,.0f} TransactWriteItems a run"
            )
            print(f"ratio {ratio:.2f} (bar ≥ {BAR}) → {'PASS' if ratio >= BAR else 'FAIL'}")
            small = Audience(audience.recipients[:300])
            limits = [
                paced(send, base.model_copy(update={"id": "bench-rate-1"}), small, args.rate, None),
                paced(send, base.model_copy(update={"id": "bench-rate-2"}), small,
                      args.rate * 4, 64),
            ]  # fmt: skip
            for limit in limits:
                print(f"--rate {limit['rate']:g} (in flight {limit['in_flight']}): "
                      f"{limit['achieved_per_s']} messages/s achieved, at most "
                      f"{limit['busiest_1s_window_schedule']} in any second of the limiter's "
                      f"schedule ({limit['busiest_1s_window_handed_over']} as handed over) → "
                      f"{'within' if limit['within_rate'] else 'ABOVE'} the rate")  # fmt: skip
        finally:
            server.terminate()
            server.wait()
            shutil.rmtree(work, ignore_errors=True)
    passed = ratio >= BAR and all(limit["within_rate"] for limit in limits)
    result = {
        "students": args.students,
        "messages": count,
        "rounds": args.rounds,
        "bytes_per_message": round(size),
        "audience_scan_s": round(scan, 2),
        "seconds": {k: round(v, 2) for k, v in meter.seconds.items()},
        "messages_per_s": {k: round(v, 1) for k, v in rate.items()},
        "ratio_pipeline_to_raw": round(ratio, 3),
        "ratio_per_round": [round(r, 3) for r in ratios],
        "ratio_pipeline_to_raw_2_connections": round(
            rate["pipeline"] / rate["raw_2_connections"], 3
        ),
        "cpu_ms_per_message": cpu,
        "transact_write_calls_per_run": round(calls / args.rounds),
        "bar": BAR,
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "rate_limits": limits,
        "passed": passed,
    }
    print(write_result("notices_send", result))
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
