"""Amazon SES v2 (PORTAL_MAIL=ses): the one place that talks to SES, and what its errors mean.

botocore's Stubber stands in for SES in the tests (tests/test_notices_send.py): SES cannot run
here.
"""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.config import settings

from .mailerrors import MailRejected, MailThrottled, MailUnavailable

THROTTLED = frozenset({"TooManyRequestsException", "LimitExceededException", "ThrottlingException"})
SENDER_WIDE = frozenset(
    {
        "AccountSuspendedException",
        "SendingPausedException",
        "MailFromDomainNotVerifiedException",
        "InternalServiceErrorException",
        "ServiceUnavailable",
        "InternalFailure",
        "AccessDeniedException",
        "UnrecognizedClientException",
    }
)
# Our own retry loop (portal/notices/mailer.py) handles throttling with backoff, so botocore
# does not retry on top of it; timeouts stay bounded.
SES_CONFIG = Config(
    connect_timeout=5, read_timeout=15, retries={"mode": "standard", "max_attempts": 1}
)
_ses_lock = threading.Lock()
_ses: Any = None


def client() -> Any:
    """The process-wide SES v2 client (region and credentials from the usual AWS settings)."""
    global _ses
    if _ses is None:
        with _ses_lock:
            if _ses is None:
                region = settings().aws_region
                _ses = boto3.session.Session().client(
                    "sesv2", region_name=region, config=SES_CONFIG
                )
    return _ses


def send_raw(raw: bytes, sender: str, to: str) -> str:
    """Send one MIME message through SES v2; return SES's MessageId."""
    try:
        answer = client().send_email(
            FromEmailAddress=sender,
            Destination={"ToAddresses": [to]},
            Content={"Raw": {"Data": raw}},
        )
    except ClientError as err:
        code = err.response.get("Error", {}).get("Code", "")
        text = f"{code}: {err.response.get('Error', {}).get('Message', '')}".strip(": ")
        if code in THROTTLED:
            raise MailThrottled(text) from None
        if code in SENDER_WIDE:
            raise MailUnavailable(text) from None
        raise MailRejected(text) from None
    except BotoCoreError as err:
        raise MailUnavailable(type(err).__name__) from None
    return str(answer.get("MessageId", ""))
