from itertools import groupby
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.template import loader

from .models import Standard
from .tasks import send_email_task


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset mail from a Celery task instead of inside the request."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email_task.delay(subject=subject, body=body, to=[to_email])


def fields_only(*layout: Any) -> FormHelper:
    """A crispy helper for a form whose template owns the <form> tag (its action, htmx
    attributes, CSRF token and buttons): crispy renders the fields, labels, help and errors,
    the same way as every other form on the site."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
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
