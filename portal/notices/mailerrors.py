"""What can go wrong when a message is handed to a mail service, named for what to do next."""

from __future__ import annotations


class MailRejected(Exception):
    """The service refused this one message for good (bad address, content...): record it."""


class MailThrottled(Exception):
    """The service asks to slow down: try the same message again later."""


class MailUnavailable(Exception):
    """Nothing can be sent now (unreachable, paused account, unverified sender...): stop."""


class MailInDoubt(Exception):
    """The connection broke after the message was handed over: it may have been delivered."""
