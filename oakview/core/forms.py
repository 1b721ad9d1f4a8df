from itertools import groupby
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from .models import SecurityEvent, Standard
from .outbox import outbox_enqueue
from .security import lockout_message, mark_lockout_shown, security_event
from .tasks import send_password_reset_email_task
from .two_factor import CodeThrottled, has_two_factor, report_wrong_code, verify_second_factor


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset mail through the outbox: the request answers at once, and a broker
    outage delays the mail instead of losing it (or answering 500)."""

    def save(self, domain_override=None, use_https=False, request=None, **kwargs):
        email = self.cleaned_data["email"]
        users = list(self.get_users(email))
        domain = domain_override or (request.get_host() if request is not None else "")
        for user in users:
            outbox_enqueue(send_password_reset_email_task, user_id=user.pk, domain=domain, use_https=use_https)
        security_event(
            SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
            request=request,
            user=users[0] if len(users) == 1 else None,
            email=email,
            accounts=len(users),
        )


def _locked_out_instead(form, error: ValidationError) -> ValidationError:
    """The lockout, in words, when django-axes refused the sign-in (the plain "wrong
    password" would send someone to try again, and again)."""
    if getattr(form.request, "axes_locked_out", False):
        mark_lockout_shown(form.request)
        return ValidationError(lockout_message(), code="locked_out")
    return error


class SignInForm(AuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            raise _locked_out_instead(self, error) from None


class TwoStepCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The six-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


class AdminSignInForm(AdminAuthenticationForm):
    """The admin's sign-in: password and, always, a two-step code."""

    code = forms.CharField(
        label="Two-step code",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
        help_text="From your authenticator app, or a recovery code.",
    )

    def clean(self):
        try:
            cleaned = super().clean()
        except ValidationError as error:
            raise _locked_out_instead(self, error) from None
        user = self.get_user()
        if not has_two_factor(user):
            raise ValidationError(
                "The administration needs two-step verification. Sign in to Oakview, open "
                "Account security from your name in the menu and set it up, then come back.",
                code="two_factor_required",
            )
        code = cleaned.get("code", "")
        if not code:
            raise ValidationError("Enter the code from your authenticator app.", code="code_required")
        try:
            device = verify_second_factor(user, code, request=self.request)
            problem = "That code is not right. Try the newest code from your app."
        except CodeThrottled as throttled:
            device, problem = None, str(throttled)
        if device is None:
            report_wrong_code(self.request, user)
            raise _locked_out_instead(self, ValidationError(problem, code="wrong_code"))
        user.otp_device = device  # django-otp marks the session verified when login() runs
        return cleaned


def fields_only(*layout: Any) -> FormHelper:
    """A crispy helper for a form whose template owns the <form> tag (its action, htmx
    attributes, CSRF token and buttons): crispy renders the fields, labels, help and errors,
    the same way as every other form on the site."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    # Hidden fields a layout does not name (a create form's one-time token) still go out.
    helper.render_hidden_fields = True
    if layout:
        helper.layout = Layout(*layout)
    return helper


def add_validation_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it names when the
    form has that field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class _ByFramework(ModelChoiceIterator):
    """Standards grouped under their framework (<optgroup>), in the shipped order."""

    def __iter__(self):
        for framework, standards in groupby(self.queryset, key=lambda s: s.framework.name):
            yield (framework, [self.choice(s) for s in standards])


def use_standards_choices(field) -> None:
    """Make a ModelMultipleChoiceField of Standards offer the current frameworks' standards,
    grouped by framework, so 'Reg 17' and 'Well-led 5' are found where a manager expects."""
    field.queryset = Standard.objects.current().select_related("framework").order_by("framework__name", "order", "code")
    field.iterator = _ByFramework
    field.widget.choices = field.choices
    field.required = False
