"""The password reset's decoy questions are keyed with the deployment's secret (issue 15, M1).

Without the secret nobody can compute which three questions an unknown username is served, so
the questions of a claimed account cannot be told from a decoy.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.stub import Stubber

from chalicelib import config, reset
from chalicelib.errors import StorageUnavailable
from chalicelib.storage import secret

pytestmark = pytest.mark.unit
USERNAMES = [f"s{n:07d}" for n in range(200)]


def unkeyed(key: str) -> list[int]:
    """The decoy of the first release: a SHA-256 anyone could compute."""
    seed = hashlib.sha256(f"reset-decoy:{key}".encode()).digest()
    chosen: list[int] = []
    for byte in seed:
        pick = reset.questions.QUESTION_IDS[byte % len(reset.questions.QUESTION_IDS)]
        if pick not in chosen:
            chosen.append(pick)
        if len(chosen) == 3:
            break
    return sorted(chosen)


def decoys_with(monkeypatch: pytest.MonkeyPatch, key: bytes) -> list[list[int]]:
    monkeypatch.setattr(secret, "deployment_secret", lambda: key)
    return [reset.decoy_questions(name) for name in USERNAMES]


def test_decoys_are_stable_and_follow_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    first = decoys_with(monkeypatch, b"a" * 32)
    assert first == decoys_with(monkeypatch, b"a" * 32)  # the same on every try
    assert all(len(set(d)) == 3 and d == sorted(d) for d in first)
    other = decoys_with(monkeypatch, b"b" * 32)
    # 56 possible sets: two secrets agree on about 1 username in 56.
    assert sum(a == b for a, b in zip(first, other, strict=True)) < len(USERNAMES) // 10


def test_decoys_cannot_be_computed_without_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    served = decoys_with(monkeypatch, b"\x07" * 32)
    guessed = [unkeyed(name) for name in USERNAMES]
    assert sum(a == b for a, b in zip(served, guessed, strict=True)) < len(USERNAMES) // 10


def test_the_local_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "deployment.secret"
    made = secret._local_secret(path)
    assert len(made) == 32 and secret._local_secret(path) == made
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.fixture
def fresh() -> Iterator[None]:
    """Settings and the secret read from the test's environment, and read again after it."""
    config.settings.cache_clear()
    secret.deployment_secret.cache_clear()
    yield
    config.settings.cache_clear()
    secret.deployment_secret.cache_clear()


@pytest.mark.usefixtures("fresh")
def test_in_aws_the_secret_comes_from_secrets_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:portal-deployment-secret-AbCdEf"
    monkeypatch.setenv("PORTAL_ENV", "aws")
    monkeypatch.setenv("PORTAL_SECRET_ARN", arn)
    client = secret.boto3.client("secretsmanager", region_name="us-east-1")
    stub = Stubber(client)
    stub.add_response("get_secret_value", {"SecretString": "k" * 64}, {"SecretId": arn})
    monkeypatch.setattr(secret, "_secrets_client", lambda: client)
    with stub:
        assert secret.deployment_secret() == b"k" * 64
        assert secret.deployment_secret() == b"k" * 64  # read once per container
    stub.assert_no_pending_responses()


@pytest.mark.usefixtures("fresh")
def test_in_aws_without_the_secret_nothing_is_made_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_ENV", "aws")
    monkeypatch.delenv("PORTAL_SECRET_ARN", raising=False)
    with pytest.raises(StorageUnavailable):
        secret.deployment_secret()
