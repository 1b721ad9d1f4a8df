"""Forms of the approval workflow: decisions, review comments, closing, adjustments."""

from __future__ import annotations

from typing import Any

from django import forms

from oakview.core.forms import fields_only
from oakview.core.inputs import SafeInputMixin
from oakview.core.once import OnceFormMixin
from plans.models import SECTION_CHOICES, Adjustment, Plan


class DecisionForm(SafeInputMixin, forms.Form):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"

    revision = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[(APPROVE, "Approve this revision"), (REQUEST_CHANGES, "Request changes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or request changes."},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when you request changes: say what needs to change and why.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_only()

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REQUEST_CHANGES and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what needs to change: a comment is required when requesting changes.")
        return data


class ReviewCommentForm(OnceFormMixin, SafeInputMixin, forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    section = forms.ChoiceField(choices=SECTION_CHOICES, widget=forms.HiddenInput)
    text = forms.CharField(label="Comment on this section", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, section_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if section_label:
            self.fields["text"].label = f"Comment on {section_label}"
        self.helper = fields_only()


class CloseForm(SafeInputMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Final decision",
        choices=Plan.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the final decision."},
        help_text="Embed the change, adjust it, extend the trial, or revert to the previous way of working.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_only()


class AdjustmentForm(OnceFormMixin, SafeInputMixin, forms.ModelForm):
    class Meta:
        model = Adjustment
        fields = ["date", "what_changed", "reason", "impact"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "what_changed": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "impact": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"what_changed": "What changed", "reason": "Why", "impact": "Impact on the objective"}
        help_texts = {
            "what_changed": "Changes to the budget, go-live date or objectives are not adjustments: edit the plan and submit it for approval.",
        }
