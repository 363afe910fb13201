"""Build each notice email as MIME and hand it to SMTP (local server) or Amazon SES v2.

The MIME is assembled directly: a multipart/alternative with a text and an HTML part, both
UTF-8 in base64, and headers encoded once per language. It is the per-message hot path of a
send (QUALITY P4), and its fixed shape is checked by parsing it back with the standard library
in the tests. Adapters raise MailRejected (this message failed for good: record it),
MailUnavailable (nothing can be sent now: stop) or MailInDoubt (the connection broke after the
message was handed over: it may have arrived, so its record stays "sending").
"""

from __future__ import annotations

import base64
import email.policy
import email.utils
import hashlib
import random
import smtplib
import time
from collections.abc import Callable
from functools import lru_cache

from chalicelib.config import LOCAL_HOST, settings

from . import ses
from .mailerrors import MailInDoubt, MailRejected, MailThrottled, MailUnavailable
from .render import Message

__all__ = ["MailInDoubt", "MailRejected", "MailUnavailable", "SesMailer", "SmtpMailer", "mime"]

DEFAULT_SENDER = "notices@district.example"
POLICY = email.policy.SMTP


def message_id(notice_id: str, address: str, lang: str, domain: str) -> str:
    """<notice.hash@domain>: the same for a notice, address and language on every attempt."""
    digest = hashlib.sha256(f"{notice_id}\n{address}\n{lang}".encode()).hexdigest()[:32]
    return f"<{notice_id}.{digest}@{domain}>"


def sender_of(name: str | None, address: str | None) -> tuple[str, str]:
    """(From header value, bare address); by default the district's name and DEFAULT_SENDER."""
    address = address or DEFAULT_SENDER
    return email.utils.formataddr((name or settings().district_name, address), "utf-8"), address


@lru_cache(maxsize=64)
def _header(name: str, value: str) -> bytes:
    """One folded header line, RFC 2047-encoded when not ASCII (computed once per value)."""
    return POLICY.fold_binary(name, value)


def _part(kind: str, text: str) -> bytes:
    canonical = text.replace("\r\n", "\n").replace("\n", "\r\n")  # text/* lines end in CRLF
    body = base64.encodebytes(canonical.encode("utf-8")).replace(b"\n", b"\r\n")
    return (
        f'Content-Type: text/{kind}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    ).encode() + body


def mime(
    message: Message,
    *,
    lang: str,
    to: str,
    from_header: str,
    msg_id: str,
    notice_id: str,
    date: str | None = None,
) -> bytes:
    """The full message: headers, then a text and an HTML alternative (CRLF line ends)."""
    if not to.isascii():
        raise MailRejected(f"address {to!r} is not ASCII (SMTPUTF8 is not used)")
    boundary = "=_notice_" + hashlib.sha256(msg_id.encode()).hexdigest()[:24]
    head = b"".join(
        (
            _header("From", from_header),
            b"To: " + to.encode() + b"\r\n",
            _header("Subject", message.subject),
            b"Date: " + (date or email.utils.formatdate(usegmt=True)).encode() + b"\r\n",
            b"Message-ID: " + msg_id.encode() + b"\r\n",
            b"Content-Language: " + lang.encode() + b"\r\n",
            b"Auto-Submitted: auto-generated\r\n",
            b"X-Portal-Notice: " + notice_id.encode() + b"\r\n",
            # SES replaces Message-ID with its own (its docs, "Amazon SES header fields"): this
            # copy keeps the stable id visible in every transport.
            b"X-Portal-Message-ID: " + msg_id.encode() + b"\r\n",
            b"MIME-Version: 1.0\r\n",
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode(),
        )
    )
    mark = f"--{boundary}\r\n".encode()
    return b"".join(
        (
            head,
            mark,
            _part("plain", message.text),
            mark,
            _part("html", message.html),
            f"--{boundary}--\r\n".encode(),
        )
    )


def _refused(code: int, text: bytes | str) -> MailRejected:
    detail = text.decode(errors="replace") if isinstance(text, bytes) else text
    kind = "temporary failure" if 400 <= code < 500 else "refused"
    return MailRejected(f"SMTP {code} {kind}: {detail}".strip())


class SmtpMailer:
    """One persistent SMTP connection (the local server on 127.0.0.1:PORTAL_SMTP_PORT)."""

    def __init__(
        self, host: str = LOCAL_HOST, port: int | None = None, timeout: float = 30
    ) -> None:
        self.host = host
        self.port = port or settings().smtp_port
        self.timeout = timeout
        self._conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._conn is None:
            try:
                self._conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                self._conn.ehlo_or_helo_if_needed()
            except OSError as err:
                self._conn = None
                raise MailUnavailable(f"SMTP {self.host}:{self.port}: {err}") from None
        return self._conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except OSError:
                pass

    def send(self, raw: bytes, sender: str, to: str) -> str:
        """Send one message; a broken connection is reopened once and the same bytes re-sent."""
        for attempt in (1, 2):
            conn = self._connect()
            stage = "envelope"
            try:
                code, reply = conn.mail(sender)
                if code != 250:
                    conn.rset()
                    raise _refused(code, reply)
                code, reply = conn.rcpt(to)
                if code not in (250, 251):
                    conn.rset()
                    raise _refused(code, reply)
                stage = "data"
                conn.data(raw)
                return ""
            except smtplib.SMTPDataError as err:  # the server answered DATA: not delivered
                raise _refused(err.smtp_code, err.smtp_error) from None
            except OSError as err:  # includes SMTPServerDisconnected and timeouts
                self._drop()
                if attempt == 2:
                    error = MailInDoubt if stage == "data" else MailUnavailable
                    raise error(f"SMTP {self.host}:{self.port}: {err}") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Say QUIT and close the connection."""
        if self._conn is not None:
            try:
                self._conn.quit()
            except OSError:
                pass
            self._conn = None


class SesMailer:
    """Amazon SES v2 (PORTAL_MAIL=ses): throttling is retried with backoff, the rest recorded."""

    def __init__(
        self,
        send: Callable[[bytes, str, str], str] = ses.send_raw,
        sleep: Callable[[float], object] = time.sleep,
        attempts: int = 6,
        backoff: float = 0.25,
        cap: float = 20.0,
    ) -> None:
        self._send, self.sleep = send, sleep
        self.attempts, self.backoff, self.cap = attempts, backoff, cap
        self.retries = 0  # throttled attempts, for the summary and the tests

    def send(self, raw: bytes, sender: str, to: str) -> str:
        """Send one message; return SES's MessageId."""
        for attempt in range(self.attempts):
            try:
                return self._send(raw, sender, to)
            except MailThrottled as err:
                if attempt == self.attempts - 1:
                    raise MailUnavailable(
                        f"still throttled after {self.attempts} tries: {err}"
                    ) from None
                self.retries += 1
                ceiling = min(self.cap, self.backoff * 2**attempt)
                self.sleep(random.uniform(ceiling / 2, ceiling))  # noqa: S311 - jitter only
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Nothing to close (the boto3 client is shared)."""


def from_settings() -> SmtpMailer | SesMailer:
    """The adapter PORTAL_MAIL names (smtp or ses)."""
    kind = settings().mail
    if kind == "ses":
        return SesMailer()
    if kind != "smtp":
        raise SystemExit(f"PORTAL_MAIL must be smtp or ses, got {kind!r}")
    return SmtpMailer()
