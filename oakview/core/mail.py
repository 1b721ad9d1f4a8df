"""Composing and sending mail; the tasks in oakview.core.tasks call these."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def header_safe(text: str) -> str:
    """One line: a CR or LF in a subject (a title someone typed) would make Django refuse
    the whole message with BadHeaderError."""
    return " ".join(text.split())


def send_email(*, subject: str, body: str, to: list[str], html_body: str = "") -> int:
    message = EmailMultiAlternatives(subject=header_safe(subject), body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()


def send_password_reset_email(*, user_id: int, domain: str, use_https: bool) -> int:
    """The reset link is made here, when the mail goes out, so no token waits in the
    outbox (and a mail delayed by an outage still gets its full validity)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return 0
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
    }
    subject = render_to_string("registration/password_reset_subject.txt", context)
    body = render_to_string("registration/password_reset_email.html", context)
    return send_email(subject=subject, body=body, to=[user.email])
