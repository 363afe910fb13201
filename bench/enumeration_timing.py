"""S3: unknown user and wrong password take the same time (median gap < 10 ms over 200 tries).

    .venv/bin/python bench/enumeration_timing.py [--tries 200]

Alternates, in one run, a login with a wrong password for a claimed student and a login for
a username that does not exist, and the same for password-reset answers, through the API.
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
        known, unknown = [], []
        for i in range(args.tries):
            clock.advance(3600)  # stay clear of the slow-down: measure the check itself
            for target, samples in ((f"S{sid}", known), (f"S{7_000_000 + i:07d}", unknown)):
                started = time.perf_counter()
                status = post("/login", {"username": target, "password": f"wrong-pass-{i}"})
                samples.append(time.perf_counter() - started)
                assert status == 401, status
    gap = abs(statistics.median(known) - statistics.median(unknown)) * 1000
    result = {
        "command": f"python bench/enumeration_timing.py --tries {args.tries}",
        "wrong_password_median_ms": statistics.median(known) * 1000,
        "unknown_user_median_ms": statistics.median(unknown) * 1000,
        "gap_ms": gap,
        "bar_ms": BAR_MS,
        "pass": gap < BAR_MS,
    }
    print(
        f"wrong password median {result['wrong_password_median_ms']:.1f} ms, unknown user "
        f"median {result['unknown_user_median_ms']:.1f} ms, gap {gap:.2f} ms (bar < {BAR_MS})"
    )
    write_result("enumeration_timing", result)
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
