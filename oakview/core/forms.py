from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader

from .tasks import send_email_task


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset mail from a Celery task instead of inside the request."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email_task.delay(subject=subject, body=body, to=[to_email])


def add_validation_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field it names when the
    form has that field, otherwise at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
