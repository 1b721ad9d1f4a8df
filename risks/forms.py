"""Forms of the risk register. Scores are picked from the matrix's named levels, and an
out-of-range value (a crafted POST) gets a message beside the field, not a server error."""

from __future__ import annotations

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.utils import timezone

from oakview.core.forms import fields_only, use_standards_choices
from oakview.core.inputs import SafeInputMixin
from oakview.core.locking import VersionedFormMixin
from oakview.core.models import User
from oakview.core.once import OnceFormMixin
from plans.models import Plan

from . import matrix
from .models import Risk

LIKELIHOOD_MESSAGE = "Choose a likelihood from 1 (Rare) to 5 (Almost certain)."
IMPACT_MESSAGE = "Choose an impact from 1 (Negligible) to 5 (Catastrophic)."


def _level_field(label: str, choices, message: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Choose…"), *choices],
        coerce=int,
        help_text=help_text,
        error_messages={"invalid_choice": message, "required": message},
    )


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


def home_members(plan: Plan):
    return User.objects.filter(memberships__home_id=plan.home_id).order_by("first_name", "last_name", "username")


class RiskForm(OnceFormMixin, VersionedFormMixin, forms.ModelForm):
    inherent_likelihood = _level_field("Likelihood before mitigation", matrix.LIKELIHOOD_CHOICES, LIKELIHOOD_MESSAGE)
    inherent_impact = _level_field("Impact before mitigation", matrix.IMPACT_CHOICES, IMPACT_MESSAGE)
    residual_likelihood = _level_field("Likelihood after mitigation", matrix.LIKELIHOOD_CHOICES, LIKELIHOOD_MESSAGE)
    residual_impact = _level_field("Impact after mitigation", matrix.IMPACT_CHOICES, IMPACT_MESSAGE)

    class Meta:
        model = Risk
        fields = [
            "title",
            "description",
            "category",
            "phase",
            "owner",
            "inherent_likelihood",
            "inherent_impact",
            "mitigation",
            "residual_likelihood",
            "residual_impact",
            "contingency",
            "trigger",
            "status",
            "review_date",
            "standards",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "contingency": forms.Textarea(attrs={"rows": 3}),
            "review_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "standards": forms.SelectMultiple(attrs={"size": 5}),
        }
        help_texts = {
            "standards": "Regulations this risk bears on, e.g. Reg 12 Safe care and treatment. Hold Ctrl to pick several."
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self._layout()
        self.fields["owner"] = OwnerChoiceField(
            queryset=home_members(plan),
            required=False,
            label="Owner",
            help_text=f"A member of {plan.home.name} who watches this risk.",
            error_messages={"invalid_choice": f"Choose an owner who is a member of {plan.home.name}."},
        )
        use_standards_choices(self.fields["standards"])
        for name in ("title", "mitigation", "contingency", "trigger"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(n) for n in ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")]
        if all(isinstance(v, int) for v in values):
            inherent = matrix.score(values[0], values[1])
            residual = matrix.score(values[2], values[3])
            if residual > inherent:
                self.add_error(
                    "residual_likelihood",
                    f"After mitigation the score ({residual}) cannot be higher than before it ({inherent}). "
                    "If the risk has grown, raise the score before mitigation too.",
                )
        return cleaned

    def _layout(self) -> None:
        # The same layout inside the register (htmx) and on the form's own page.
        self.helper = fields_only(
            "version",
            Fieldset("The risk", "title", "description", Row(Column("category", css_class="col-md-4"),
                     Column("phase", css_class="col-md-4"), Column("owner", css_class="col-md-4"))),
            Fieldset("Before mitigation (inherent risk)", Row(Column("inherent_likelihood", css_class="col-md-6"),
                     Column("inherent_impact", css_class="col-md-6")), "mitigation"),
            Fieldset("After mitigation (residual risk)", Row(Column("residual_likelihood", css_class="col-md-6"),
                     Column("residual_impact", css_class="col-md-6"))),
            Fieldset("If it happens anyway", "contingency", "trigger"),
            Fieldset("Tracking", Row(Column("status", css_class="col-md-6"), Column("review_date", css_class="col-md-6")),
                     "standards"),
        )  # fmt: skip

    def model_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "standards"}


class RiskReviewForm(OnceFormMixin, SafeInputMixin, forms.Form):
    reviewed_on = forms.DateField(label="Date of review", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    likelihood = _level_field("Likelihood now", matrix.LIKELIHOOD_CHOICES, LIKELIHOOD_MESSAGE)
    impact = _level_field("Impact now", matrix.IMPACT_CHOICES, IMPACT_MESSAGE)
    note = forms.CharField(label="What you found", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    next_review = forms.DateField(
        label="Next review", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, risk: Risk, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = fields_only(
            Row(Column("reviewed_on", css_class="col-md-4"), Column("likelihood", css_class="col-md-4"),
                Column("impact", css_class="col-md-4")),
            "note",
            Row(Column("next_review", css_class="col-md-4")),
        )  # fmt: skip
        if not self.is_bound:
            self.initial.update(
                reviewed_on=timezone.localdate(), likelihood=risk.residual_likelihood, impact=risk.residual_impact
            )


class RiskFilterForm(SafeInputMixin, forms.Form):
    SORTS = [
        ("-inherent", "Score before mitigation, highest first"),
        ("-residual", "Score after mitigation, highest first"),
        ("inherent", "Score before mitigation, lowest first"),
        ("ref", "Reference (R1, R2, …)"),
    ]

    band = forms.ChoiceField(
        label="Band (before mitigation)", required=False, choices=[("", "Any band"), *[(b.key, b.name) for b in matrix.BANDS]]
    )
    phase = forms.ChoiceField(label="Phase", required=False, choices=[("", "Any phase"), *Risk.Phase.choices])
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Risk.Status.choices])
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int, empty_value=None)
    review = forms.ChoiceField(label="Review", required=False, choices=[("", "Any"), ("overdue", "Overdue for review")])
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORTS)
    # A heat-map cell: "inherent-4-5" is likelihood 4, impact 5 before mitigation.
    cell = forms.RegexField(required=False, regex=r"^(inherent|residual)-[1-5]-[1-5]$", widget=forms.HiddenInput)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Anyone"), *[(u.pk, u.display_name) for u in owners]]
        column = "col-6 col-md-4 col-xl"
        self.helper = fields_only(
            Row(*(Column(name, css_class=column) for name in self.fields if name != "cell"), css_class="g-2"), "cell"
        )
        self.helper.form_show_errors = False  # a stale bookmark's filter is ignored, not scolded

    def values(self) -> dict:
        """Cleaned filters, with anything invalid ignored (a stale bookmark still shows the register)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
