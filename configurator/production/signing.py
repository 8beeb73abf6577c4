"""Webhook signatures as the Standard Webhooks scheme has them.

``webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``, with the
``webhook-id`` and ``webhook-timestamp`` headers; receivers reject a timestamp more than five
minutes away, and deduplicate on the id (also sent as ``Idempotency-Key``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time

TOLERANCE_SECONDS = 300
# ASCII digits only: str.isdigit() also accepts "²" and other digits int() refuses.
TIMESTAMP = re.compile(r"[0-9]{1,12}")
MAX_ID_LENGTH = 200


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    payload = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), payload, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret: str, message_id: str, body: bytes, now: int | None = None) -> dict:
    timestamp = int(now if now is not None else time.time())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
        "Idempotency-Key": message_id,
        "Content-Type": "application/json",
    }


def verify(secret: str, headers: dict, body: bytes, now: int | None = None) -> bool:
    """Whether the headers carry a valid, fresh signature of ``body``."""
    message_id = headers.get("webhook-id", "")
    raw_timestamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not message_id or len(message_id) > MAX_ID_LENGTH or not signatures:
        return False
    if TIMESTAMP.fullmatch(raw_timestamp) is None:
        return False
    timestamp = int(raw_timestamp)
    if abs(int(now if now is not None else time.time()) - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret, message_id, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures.split())
