"""Two-step verification: an authenticator app (TOTP, django-otp) and single-use recovery codes.

Required for the admin (superusers), offered to managers and approvers, not to staff and
viewers (their accounts can change little and they sign in on shared devices). A user with a
confirmed app is asked for a code at every sign-in; one without signs in with the password,
as the demo users do.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import roles_by_home
from .models import Role, SecurityEvent
from .security import TWO_FACTOR_SENDER, security_event

OFFERED_ROLES = frozenset({Role.MANAGER, Role.APPROVER})
RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
Kind = SecurityEvent.Kind


class WrongCode(Exception):
    pass


class CodeThrottled(WrongCode):
    """django-otp is pausing this device after wrong codes (the pause doubles each time)."""

    MESSAGE = (
        "Too many wrong codes in a row: wait a moment (longer after each wrong code), then enter the newest code from your app."
    )


def two_factor_offered(user) -> bool:
    return user.is_superuser or bool(set(roles_by_home(user).values()) & OFFERED_ROLES)


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Setting up ----------------------------------------------------------------------------


def setup_device(user) -> TOTPDevice:
    """The unconfirmed app device being set up: the same secret on every visit until it is
    confirmed, so reloading the page does not invalidate what the phone has scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI, drawn here (no CDN, no script;
    the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


@transaction.atomic
def two_factor_enable(*, user, device_id: int, code: str, request: HttpRequest) -> list[str]:
    """Confirm the app with a code it shows; replace any earlier app; issue recovery codes.
    Returns the codes, which are shown once and never again."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    if device is None or not device.verify_token(_digits(code)):
        raise WrongCode("That code is not right. Check the time on your phone is set automatically, and try the newest code.")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    security_event(Kind.TWO_FACTOR_ENABLED, request=request, user=user)
    return codes


@transaction.atomic
def recovery_codes_replace(*, user, request: HttpRequest) -> list[str]:
    codes = _new_recovery_codes(user)
    security_event(Kind.RECOVERY_CODES_REPLACED, request=request, user=user)
    return codes


@transaction.atomic
def two_factor_disable(*, user, code: str, request: HttpRequest) -> None:
    """Turn it off, proven with a current code (or a recovery code), not just the session."""
    if verify_second_factor(user, code, request=request) is None:  # CodeThrottled passes through
        raise WrongCode("That code is not right, so two-step verification is still on.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    security_event(Kind.TWO_FACTOR_DISABLED, request=request, user=user)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=token) for token in tokens])
    return [f"{token[:4]}-{token[4:]}" for token in tokens]


# --- Signing in ------------------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join(code.split())


def verify_second_factor(user, code: str, *, request: HttpRequest) -> Device | None:
    """The device that accepts `code`: six digits go to the app, anything else is tried as
    a recovery code (which is then used up). django-otp refuses a code already used and
    pauses a device after wrong codes: then CodeThrottled, whatever the code."""
    cleaned = _digits(code).replace("-", "").lower()
    if not cleaned:
        return None
    model = TOTPDevice if cleaned.isdigit() and len(cleaned) == 6 else StaticDevice
    throttled = False
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            allowed, _ = device.verify_is_allowed()
            if not allowed:
                throttled = True
            elif device.verify_token(cleaned):
                if model is StaticDevice:
                    security_event(Kind.RECOVERY_CODE_USED, request=request, user=user, left=device.token_set.count())
                return device
    if throttled:
        raise CodeThrottled(CodeThrottled.MESSAGE)
    return None


def report_wrong_code(request: HttpRequest, user) -> None:
    """A wrong code counts as a failed sign-in: django-axes adds it to the lockout count
    and the security log records it as a rejected code."""
    user_login_failed.send(sender=TWO_FACTOR_SENDER, credentials={"username": user.get_username()}, request=request)
