"""The account model: one place that says when an account may be used and what a change records.

Students, parents and staff share one username space and one shape. Whether an account can log
in, keep a session or reset its password, and what a new password does to the history and the
sessions, is decided here and nowhere else. `holder_active` is whether the SIS still lists the
person behind the account (the student or the guardian); staff are not in the SIS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from . import identity
from .passwords import HISTORY_SIZE

Role = Literal["student", "parent", "staff"]


@dataclass(frozen=True)
class Account:
    """One account, as stored: `key` is the lower-case username."""

    key: str
    role: Role
    password_hash: str = ""
    password_history: tuple[str, ...] = ()
    session_epoch: int = 0  # sessions carry the epoch they began in; a change bumps it
    must_change_password: bool = False
    disabled: bool = False
    display_username: str = ""  # the username as its owner typed it (parents, staff)
    created_at: str = ""
    student_id: str = ""
    claimed_gen: int | None = None  # the school-year generation the student claimed it in
    answers: Mapping[str, str] = field(default_factory=dict)  # question id → answer hash
    guardian_id: str = ""
    staff_role: str = ""
    school: str | None = None
    language: str = ""  # the language its owner chose in the portal; "" = none chosen

    @property
    def username(self) -> str:
        """The username as shown to its owner: S + the ID for students, as typed for others."""
        if self.role == "student":
            return identity.student_username(self.student_id)
        return self.display_username or self.key

    def is_claimed(self, generation: int) -> bool:
        """A student account is claimed only in the generation (school year) it was claimed in."""
        return self.role == "student" and self.claimed_gen == generation

    def exists_for_login(self, generation: int, holder_active: bool) -> bool:
        """Whether a login may be judged against this account at all.

        A student's account exists once claimed this school year; a family's while the SIS lists
        the person. A disabled parent account still exists: the right password learns it is
        disabled (423), as the contract says.
        """
        if self.role == "staff":
            return True
        if self.role == "student" and not self.is_claimed(generation):
            return False
        return holder_active

    def session_valid(self, epoch: int, generation: int, holder_active: bool) -> bool:
        """Whether a session begun in `epoch` still holds: no change, disable, reset or exit."""
        return (
            epoch == self.session_epoch
            and not self.disabled
            and self.exists_for_login(generation, holder_active)
        )

    def resettable(self, generation: int, holder_active: bool) -> bool:
        """Whether the forgotten-password flow may reset this account (claimed students only)."""
        return self.role == "student" and self.exists_for_login(generation, holder_active)

    def recent_passwords(self) -> tuple[str, ...]:
        """The hashes a new password must not match."""
        return self.password_history[:HISTORY_SIZE]

    def first_password(self, new_hash: str, *, temporary: bool = False) -> Account:
        """A new account with its first password: remembered, no session to end yet."""
        return replace(
            self,
            password_hash=new_hash,
            password_history=(new_hash,),
            must_change_password=temporary,
        )

    def with_password(self, new_hash: str, *, temporary: bool = False) -> Account:
        """The account after a password change: remembered, and every session ended."""
        return replace(
            self,
            password_hash=new_hash,
            password_history=(new_hash, *self.password_history)[:HISTORY_SIZE],
            session_epoch=self.session_epoch + 1,
            must_change_password=temporary,
            disabled=False if temporary else self.disabled,
        )

    def claimed(self, generation: int, password_hash: str, answers: Mapping[str, str]) -> Account:
        """The student account after a completed claim (password and answers together)."""
        return replace(
            self.with_password(password_hash), claimed_gen=generation, answers=dict(answers)
        )

    def unclaimed(self) -> Account:
        """The student account after a reset ticket: no answers, no claim, sessions ended."""
        return replace(self, claimed_gen=None, answers={}, session_epoch=self.session_epoch + 1)

    def personal_values(self, holder_names: Iterable[str] = ()) -> list[str]:
        """What a new password must not contain: the username, the ID and the holder's names."""
        values = [self.key, self.display_username, self.username, self.student_id, *holder_names]
        return [v for v in dict.fromkeys(values) if v]


def new_student(student_id: str) -> Account:
    """A student account before its first claim."""
    return Account(key=identity.student_key(student_id), role="student", student_id=student_id)
