"""The local SMTP server: keeps every message it receives as one `.eml` file."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session

from chalicelib.config import LOCAL_HOST


class MaildirHandler:
    """aiosmtpd handler writing each message to `<dir>/<time>-<hash>.eml`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:  # noqa: N802
        """Store the message exactly as received, with the envelope recipients."""
        content = envelope.original_content or b""
        header = "X-Envelope-To: " + ", ".join(envelope.rcpt_tos) + "\r\n"
        digest = hashlib.sha256(content).hexdigest()[:12]
        name = f"{time.time_ns()}-{digest}.eml"
        tmp = self.directory / (name + ".tmp")
        tmp.write_bytes(header.encode() + content)
        tmp.rename(self.directory / name)  # readers never see half a message
        return "250 Message accepted for delivery"


def start(port: int, directory: Path, host: str = LOCAL_HOST) -> Controller:
    """Start the SMTP server in a background thread; call `.stop()` to end it."""
    controller = Controller(MaildirHandler(directory), hostname=host, port=port)
    controller.start()
    return controller


def messages(directory: Path) -> list[Path]:
    """Stored messages, oldest first."""
    return sorted(directory.glob("*.eml"))
