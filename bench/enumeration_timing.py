"""S3: unknown user and wrong password take the same time (median gap < 10 ms over 200 tries).

    .venv/bin/python bench/enumeration_timing.py [--tries 200]

Alternates, in one run and for each kind of account (a claimed student, an activated parent, a
staff member), a login with a wrong password for the real account and a login for a username of
the same shape that does not exist, through the API (issue 15, L3: parents and staff too).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from common import private_dynamodb, write_result

BAR_MS = 10.0


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
        post(
            "/claim/password",
            {
                "claim_token": token,
                "password": "Timing-secret-77",
                "password_confirm": "Timing-secret-77",
            },
        )
        post(
            "/claim/answers",
            {
                "claim_token": token,
                "answers": [
                    {"question_id": 1, "answer": "May"},
                    {"question_id": 7, "answer": "apple"},
                    {"question_id": 8, "answer": "fall"},
                ],
            },
        )
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
        post(
            "/activation/account",
            {"activation_key": key, "username": "PatTiming", "password": "Timing-parent-77",
             "password_confirm": "Timing-parent-77"},
        )  # fmt: skip
        staff.add_staff("timing.teacher", "teacher", "org-1")
        kinds = {
            "student": (f"S{sid}", lambda i: f"S{7_000_000 + i:07d}"),
            "parent": ("PatTiming", lambda i: f"NobodyParent{i}"),
            "staff": ("timing.teacher", lambda i: f"nobody.staff{i}"),
        }
        samples: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in kinds}
        for i in range(args.tries):
            clock.advance(3600)  # stay clear of the slow-down: measure the check itself
            for kind, (real, invented) in kinds.items():
                known, unknown = samples[kind]
                for target, bucket in ((real, known), (invented(i), unknown)):
                    started = time.perf_counter()
                    status = post("/login", {"username": target, "password": f"wrong-pass-{i}"})
                    bucket.append(time.perf_counter() - started)
                    assert status == 401, (kind, status)
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
