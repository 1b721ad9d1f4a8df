"""The request a signed-in view receives, typed: behind @login_required its user is a User,
and django-htmx's middleware has set request.htmx."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthedRequest(HttpRequest):
    user: User  # narrowed from User | AnonymousUser by @login_required
    htmx: HtmxDetails
