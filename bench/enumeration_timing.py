"""S3: unknown user and wrong password take the same time (median gap < 10 ms over 200 tries).

    .venv/bin/python bench/enumeration_timing.py [--tries 200]

Alternates, in one run and for each kind of account (a claimed student, an activated parent, a
staff member), a login with a wrong password for the real account and a login for a username of
the same shape that does not exist, through the API (issue 15, L3: parents and staff too).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time

from common import private_dynamodb, write_result

BAR_MS = 10.0


def expect(status: int, wanted: int) -> None:
    """Stop when a setting-up step did not do what it must."""
    if status != wanted:
        raise SystemExit(f"setting up failed: HTTP {status}, expected {wanted}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tries", type=int, default=200)
    args = parser.parse_args()
    with private_dynamodb():
        from chalice.test import Client

        import app as app_module
        from chalicelib import clock
        from chalicelib.storage import tables

        client = Client(app_module.app).__enter__()
        sid = "6100001"
        tables.put_item(
            "sis",
            {
                "pk": f"student#{sid}",
                "sk": "profile",
                "student_id": sid,
                "given_name": "Kim",
                "family_name": "Timing",
                "middle_name": "",
                "school": "org-1",
                "school_name": "S",
                "grade": "05",
                "years": [2027],
                "active": True,
                "first_seen_at": int(clock.now()) - 172800,
                "language": "en",
            },
        )

        def post(path: str, payload: dict) -> int:
            return client.http.post(
                path,
                body=json.dumps(payload).encode(),
                headers={"Content-Type": "application/json"},
            ).status_code

        token = json.loads(
            client.http.post(
                "/claim/start",
                body=json.dumps(
                    {"last_name": "Timing", "first_name": "Kim", "student_id": sid}
                ).encode(),
                headers={"Content-Type": "application/json"},
            ).body
        )["claim_token"]
        # Every step must work, or the "real" accounts would be unknown names too.
        expect(post(
            "/claim/password",
            {
                "claim_token": token,
                "password": "Maple-river-2031",
                "password_confirm": "Maple-river-2031",
            },
        ), 200)  # fmt: skip
        expect(post(
            "/claim/answers",
            {
                "claim_token": token,
                "answers": [
                    {"question_id": 1, "answer": "May"},
                    {"question_id": 7, "answer": "apple"},
                    {"question_id": 8, "answer": "fall"},
                ],
            },
        ), 200)  # fmt: skip
        from chalicelib import activation, staff

        tables.put_item(
            "sis",
            {"pk": "guardian#gdn-timing", "sk": "profile", "sourced_id": "gdn-timing",
             "given_name": "Pat", "family_name": "Timing", "role": "parent",
             "email": "pat@example.org", "language": "en", "active": True},
        )  # fmt: skip
        tables.put_item(
            "sis",
            {"pk": "guardian#gdn-timing", "sk": f"link#{sid}", "gsi1pk": f"student#{sid}",
             "gsi1sk": "link#gdn-timing", "guardian_id": "gdn-timing", "student_id": sid,
             "portal_access": True},
        )  # fmt: skip
        key = activation.issue("gdn-timing", "bench")
        expect(post(
            "/activation/account",
            {"activation_key": key, "username": "PatTiming", "password": "Harbor-lantern-58",
             "password_confirm": "Harbor-lantern-58"},
        ), 201)  # fmt: skip
        staff.add_staff("timing.teacher", "teacher", "org-1")
        for username, password in (("S" + sid, "Maple-river-2031"),
                                   ("PatTiming", "Harbor-lantern-58")):  # fmt: skip
            expect(post("/login", {"username": username, "password": password}), 200)
        kinds = {
            "student": (f"S{sid}", lambda i: f"S{7_000_000 + i:07d}"),
            "parent": ("PatTiming", lambda i: f"NobodyParent{i}"),
            "staff": ("timing.teacher", lambda i: f"nobody.staff{i}"),
        }
        samples: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in kinds}
        order = random.Random(15)  # the six logins of a round in a new order each round
        for i in range(args.tries):
            clock.advance(3600)  # stay clear of the slow-down: measure the check itself
            tries = [(real, samples[kind][0]) for kind, (real, _) in kinds.items()]
            tries += [(invented(i), samples[kind][1]) for kind, (_, invented) in kinds.items()]
            order.shuffle(tries)
            for target, bucket in tries:
                started = time.perf_counter()
                status = post("/login", {"username": target, "password": f"wrong-pass-{i}"})
                bucket.append(time.perf_counter() - started)
                assert status == 401, (target, status)
    gaps = {
        kind: abs(statistics.median(k) - statistics.median(u)) * 1000
        for kind, (k, u) in samples.items()
    }
    known, unknown = samples["student"]
    gap = max(gaps.values())
    result = {
        "command": f"python bench/enumeration_timing.py --tries {args.tries}",
        "medians_ms": {
            kind: {
                "wrong_password": statistics.median(k) * 1000,
                "unknown_user": statistics.median(u) * 1000,
            }
            for kind, (k, u) in samples.items()
        },
        "gap_ms": gaps,
        "bar_ms": BAR_MS,
        "pass": gap < BAR_MS,
    }
    for kind, medians in result["medians_ms"].items():
        print(
            f"{kind}: wrong password median {medians['wrong_password']:.1f} ms, unknown user "
            f"median {medians['unknown_user']:.1f} ms, gap {gaps[kind]:.2f} ms (bar < {BAR_MS})"
        )
    write_result("enumeration_timing", result)
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
