"""The secret behind a person's calendar feed of their actions and training."""

from __future__ import annotations

import secrets

from oakview.core.models import User


def calendar_token_reset(*, user: User) -> str:
    """A new secret for the user's calendar feed; the old link stops working at once."""
    user.calendar_token = secrets.token_urlsafe(32)
    user.save(update_fields=["calendar_token"])
    return user.calendar_token


def calendar_token_revoke(*, user: User) -> None:
    user.calendar_token = ""
    user.save(update_fields=["calendar_token"])
