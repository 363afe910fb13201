"""The demo district of `portal run`: the seeds' families, ready to try (CONTRACT.md section 1)."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from chalicelib import activation, claim, clock, identity, mfa, passwords, sis, staff
from chalicelib.storage import accounts as stored_accounts

from .. import paths
from ..notices.publish import publish
from ..sis.importer import import_export
from . import sized

DEMO_EXPORT = Path(__file__).parent / "sis"
STAFF_SCHOOL = "mcgarrah-es"
Account = tuple[str, str, str]


def _password() -> str:
    """A random password that passes the policy (printed for the person trying the demo)."""
    return "Demo-" + secrets.token_urlsafe(9).replace("_", "x").replace("-", "y")


def _credentials_file() -> Path:
    return paths.data_dir() / "demo-accounts.json"


def load() -> list[Account]:
    """Load the demo once; on later starts (data kept in .data/) just show its accounts again."""
    saved = _credentials_file()
    daffy, greg, marcia = (identity.sized(sid) for sid in ("0393354", "0123456", "0234561"))
    if sis.get_student(daffy) is not None:
        if saved.exists():
            return [(who, name, secret) for who, name, secret in json.loads(saved.read_text())]
        return [("Demo district already loaded", "(accounts unknown)", "")]
    first_seen = datetime.fromtimestamp(clock.now(), tz=UTC) - timedelta(hours=48)
    with tempfile.TemporaryDirectory(prefix="portal-demo-") as sized_copy:
        export = DEMO_EXPORT
        if not sized.as_configured(export):  # a district whose IDs are not the seeds' 7 digits
            export = sized.write_sized(DEMO_EXPORT, Path(sized_copy))
        import_export(export, entered_at=first_seen, progress=False)
    publish(paths.ROOT / "notices" / "back-to-school-2026-27.yml")  # site, portal, PDFs
    accounts: list[Account] = []

    greg_password = _password()
    token = claim.start("Student", "Greg", greg)
    username = claim.set_password(token, greg_password, greg_password)
    claim.save_answers(token, [(1, "May"), (7, "apple"), (8, "summer")])
    accounts.append(("Greg Student, grade 05 (claimed student)", username, greg_password))
    for who, sid in (
        ("Daffy Clayton, grade 07 (unclaimed: claim it)", daffy),
        ("Marcia A. Student, grade 03 (unclaimed)", marcia),
    ):
        accounts.append((who, identity.student_username(sid), f"ID {sid}"))

    minnie_password = _password()
    key = activation.issue("gdn-minnie-clayton", "demo")
    activation.create_account(key, "MinnieC", minnie_password, minnie_password)
    accounts.append(("Minnie Clayton, parent of Greg and Marcia", "MinnieC", minnie_password))
    daffy_key = activation.issue("gdn-donald-clayton", "demo")
    accounts.append(("Donald Clayton, Daffy's parent: activation key", "-", daffy_key))

    for role in staff.ROLES:
        password = _password()
        name = f"demo.{role.replace('_', '')}"
        staff.add_staff(name, role, None if role == "district_admin" else STAFF_SCHOOL)
        _set_known_password(name, password)
        who = f"Staff: {role.replace('_', ' ')}"
        if role in mfa.MFA_ROLES:
            who += " (sets up an authenticator app at the first login)"
        accounts.append((who, name, password))

    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(accounts, ensure_ascii=False, indent=1))
    os.chmod(saved, 0o600)  # demo passwords: readable by this user only
    return accounts


def _set_known_password(username: str, password: str) -> None:
    """Demo staff log in with the printed password directly (no forced change)."""
    account = stored_accounts.get(username)
    assert account is not None
    stored_accounts.save_password(account.first_password(passwords.hash_secret(password)), account)
