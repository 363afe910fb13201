"""P1: login and claim through the API against their floor, measured side by side.

    .venv/bin/python bench/login_claim.py [--rounds 200]

The floor of a login is one Argon2id verify plus the raw boto3 calls a login needs (the same
calls the service makes, with pre-built requests: the per-IP window update, one BatchGetItem
of account, generation, failure counter and SIS profile, the counter update, and one
BatchWriteItem of access-log line, session and counter delete). The floor of a claim is its
four Argon2id hashes (password and three answers) plus its raw calls (student, account and
generation twice, per-IP window, claim token put, get, update, get, and the completing
transaction). Each round runs the API operation and its floor back to back, so both see the
same machine load.
Bar (QUALITY P1): API ≤ 1.25 × floor, for both.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
from typing import Any

from common import private_dynamodb, summary, write_result

BAR = 1.25
PASSWORD = "Benchmark-login-pass-1"
ANSWERS = [(1, "March"), (7, "apple"), (8, "winter")]


def seed(count: int) -> list[str]:
    """Students in the SIS mirror, first seen two days ago; return their IDs."""
    from chalicelib import clock
    from chalicelib.storage import tables

    ids = []
    for i in range(count):
        sid = f"{5_000_000 + i:07d}"
        tables.put_item(
            "sis",
            {
                "pk": f"student#{sid}",
                "sk": "profile",
                "student_id": sid,
                "given_name": "Avery",
                "family_name": f"Student{i}",
                "middle_name": "",
                "school": "org-1",
                "school_name": "Bench School",
                "grade": "05",
                "years": [2027],
                "active": True,
                "first_seen_at": int(clock.now()) - 2 * 86400,
                "language": "en",
            },
        )
        ids.append(sid)
    return ids


def api_client() -> Any:
    """The deployed app object behind chalice.test (the same code API Gateway calls)."""
    from chalice.test import Client

    import app as app_module

    return Client(app_module.app).__enter__()


def post(client: Any, path: str, payload: dict[str, Any]) -> dict[str, Any]:
    response = client.http.post(
        path, body=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    if response.status_code >= 300:
        raise SystemExit(f"{path} answered {response.status_code}: {response.body!r}")
    return json.loads(response.body) if response.body else {}


def api_claim(client: Any, sid: str, index: int) -> None:
    token = post(
        client,
        "/claim/start",
        {"last_name": f"Student{index}", "first_name": "Avery", "student_id": sid},
    )["claim_token"]
    post(
        client,
        "/claim/password",
        {"claim_token": token, "password": PASSWORD, "password_confirm": PASSWORD},
    )
    post(
        client,
        "/claim/answers",
        {"claim_token": token, "answers": [{"question_id": q, "answer": a} for q, a in ANSWERS]},
    )


def api_login(client: Any, sid: str) -> None:
    post(client, "/login", {"username": f"S{sid}", "password": PASSWORD})


def floor_login(raw: Any, names: dict[str, str], sid: str, password_hash: str) -> None:
    """One verify and the login's raw calls, requests built by hand."""
    from chalicelib import passwords

    key = f"s{sid}"
    now = int(time.time())
    counter = {"pk": {"S": f"login#floor{key}"}}
    raw.update_item(
        TableName=names["limits"],
        Key={"pk": {"S": f"ip#login#floor#{now // 600}"}},
        UpdateExpression="ADD n :one SET #t = :t",
        ExpressionAttributeNames={"#t": "ttl"},
        ExpressionAttributeValues={":one": {"N": "1"}, ":t": {"N": str(now + 1200)}},
    )
    raw.batch_get_item(
        RequestItems={
            names["accounts"]: {
                "Keys": [{"pk": {"S": key}}, {"pk": {"S": "#generation"}}],
                "ConsistentRead": True,
            },
            names["limits"]: {"Keys": [counter], "ConsistentRead": True},
            names["sis"]: {
                "Keys": [{"pk": {"S": f"student#{sid}"}, "sk": {"S": "profile"}}],
                "ConsistentRead": True,
            },
        }
    )
    raw.update_item(
        TableName=names["limits"],
        Key=counter,
        UpdateExpression="ADD n :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )
    passwords.verify_secret(password_hash, PASSWORD)
    raw.batch_write_item(
        RequestItems={
            names["events"]: [
                {
                    "PutRequest": {
                        "Item": {
                            "pk": {"S": f"access#floor{key}"},
                            "sk": {"S": f"{time.time_ns()}"},
                            "ip": {"S": "127.0.0.1"},
                            "success": {"BOOL": True},
                        }
                    }
                }
            ],
            names["tokens"]: [
                {
                    "PutRequest": {
                        "Item": {
                            "pk": {"S": f"session#{secrets.token_hex(32)}"},
                            "username": {"S": key},
                            "expires_at": {"N": str(now + 43200)},
                        }
                    }
                }
            ],
            names["limits"]: [{"DeleteRequest": {"Key": counter}}],
        }
    )


def floor_claim(raw: Any, names: dict[str, str], sid: str) -> None:
    """Four hashes and the claim's raw calls, requests built by hand."""
    from chalicelib import passwords

    now = int(time.time())
    key = f"floor-s{sid}"
    token = {"pk": {"S": f"claim#{secrets.token_hex(32)}"}}
    student = {"pk": {"S": f"student#{sid}"}, "sk": {"S": "profile"}}
    account_keys = {
        names["accounts"]: {
            "Keys": [{"pk": {"S": key}}, {"pk": {"S": "#generation"}}],
            "ConsistentRead": True,
        }
    }
    raw.get_item(TableName=names["sis"], Key=student, ConsistentRead=True)
    raw.update_item(
        TableName=names["limits"],
        Key={"pk": {"S": f"ip#claim#floor#{now // 600}"}},
        UpdateExpression="ADD n :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )
    raw.batch_get_item(RequestItems=account_keys)
    raw.put_item(TableName=names["tokens"], Item={**token, "expires_at": {"N": str(now + 900)}})
    raw.get_item(TableName=names["tokens"], Key=token, ConsistentRead=True)
    raw.get_item(TableName=names["sis"], Key=student, ConsistentRead=True)
    raw.get_item(TableName=names["accounts"], Key={"pk": {"S": key}}, ConsistentRead=True)
    password_hash = passwords.hash_secret(PASSWORD)
    raw.update_item(
        TableName=names["tokens"],
        Key=token,
        UpdateExpression="SET h = :h",
        ExpressionAttributeValues={":h": {"S": password_hash}},
    )
    raw.get_item(TableName=names["tokens"], Key=token, ConsistentRead=True)
    answers = {str(q): {"S": passwords.hash_secret(a)} for q, a in ANSWERS}
    raw.batch_get_item(RequestItems=account_keys)
    raw.transact_write_items(
        TransactItems=[
            {
                "Put": {
                    "TableName": names["accounts"],
                    "Item": {
                        "pk": {"S": key},
                        "password_hash": {"S": password_hash},
                        "answers": {"M": answers},
                    },
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {"Delete": {"TableName": names["tokens"], "Key": token}},
        ]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with private_dynamodb():
        from chalicelib import passwords
        from chalicelib.storage import db

        raw = db.client()
        names = {t: db.name(t) for t in ("accounts", "sis", "limits", "tokens", "events")}
        ids = seed(args.rounds + 10)
        client = api_client()
        password_hash = passwords.hash_secret(PASSWORD)
        for i, sid in enumerate(ids[:10]):  # warm-up: imports, connections, JIT in the database
            api_claim(client, sid, i)
            api_login(client, sid)
            floor_login(raw, names, sid, password_hash)
            floor_claim(raw, names, sid)
        claim_api, claim_floor, login_api, login_floor = [], [], [], []
        for offset, sid in enumerate(ids[10:]):
            index = offset + 10
            started = time.perf_counter()
            api_claim(client, sid, index)
            claim_api.append(time.perf_counter() - started)
            started = time.perf_counter()
            floor_claim(raw, names, sid)
            claim_floor.append(time.perf_counter() - started)
            started = time.perf_counter()
            api_login(client, sid)
            login_api.append(time.perf_counter() - started)
            started = time.perf_counter()
            floor_login(raw, names, sid, password_hash)
            login_floor.append(time.perf_counter() - started)
    result = {
        "command": f"python bench/login_claim.py --rounds {args.rounds}",
        "login": {"api": summary(login_api), "floor": summary(login_floor)},
        "claim": {"api": summary(claim_api), "floor": summary(claim_floor)},
    }
    for what in ("login", "claim"):
        ratio = result[what]["api"]["median_ms"] / result[what]["floor"]["median_ms"]
        result[what]["ratio"] = round(ratio, 3)
        result[what]["bar"] = BAR
        result[what]["pass"] = ratio <= BAR
        print(
            f"{what:<6} api median {result[what]['api']['median_ms']:7.1f} ms   floor median "
            f"{result[what]['floor']['median_ms']:7.1f} ms   ratio {ratio:.3f} (bar ≤ {BAR})"
        )
    path = write_result("login_claim", result)
    print(f"written to {path.relative_to(path.parents[2])}")
    return 0 if all(result[w]["pass"] for w in ("login", "claim")) else 1


if __name__ == "__main__":
    sys.exit(main())
