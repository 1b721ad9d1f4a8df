"""Time-based one-time passwords computed the way a phone's authenticator app does (RFC 6238,
HMAC-SHA1, 30-second steps, six digits), independently of django-otp, so the tests prove the
app and Oakview agree rather than Oakview agreeing with itself."""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
import time
from base64 import b32decode, b32encode

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

STEP = 30


def totp(secret_b32: str, *, steps_ahead: int = 0, at: float | None = None) -> str:
    secret = re.sub(r"\s", "", secret_b32).upper()
    key = b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // STEP) + steps_ahead
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def secret_on_page(html: str) -> str:
    """The key the set-up page shows for typing into an app."""
    match = re.search(r'<code class="secret-key">([A-Z2-7 ]+)</code>', html)
    assert match, "the set-up page shows no key"
    return match.group(1)


def give_app(user) -> str:
    """A confirmed authenticator app for `user` (as if set up earlier); returns its secret."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return b32encode(device.bin_key).decode()


def admin_sign_in(client: Client, user, password: str, secret: str, *, steps_ahead: int = 0):
    return client.post(
        "/admin/login/",
        {"username": user.username, "password": password, "code": totp(secret, steps_ahead=steps_ahead), "next": "/admin/"},
    )
