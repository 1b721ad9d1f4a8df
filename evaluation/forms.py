"""Forms of the evaluation pages. Every choice of a person or a record is limited to the
plan's home and the plan itself; out-of-range or crafted input gets a message beside the
field, never a server error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from oakview.core.forms import use_standards_choices
from oakview.core.locking import VersionedFormMixin
from oakview.core.models import User
from plans.models import Adjustment, Objective, Plan

from . import library, rules
from .models import KPI, BenefitLine, BenefitsCase, Evidence, Review


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


def person_field(plan: Plan, label: str) -> PersonField:
    return PersonField(
        queryset=User.objects.filter(memberships__home_id=plan.home_id).order_by("first_name", "last_name", "username"),
        required=False,
        label=label,
        empty_label="Nobody yet",
        error_messages={"invalid_choice": f"Choose someone who is a member of {plan.home.name}."},
    )


class LibraryForm(forms.Form):
    entry = forms.ChoiceField(
        label="Start from the KPI library", choices=[("", "A KPI of my own")] + library.choices(), required=False
    )


class KPIForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = KPI
        fields = [
            "name",
            "description",
            "kind",
            "dimension",
            "objective",
            "unit",
            "direction",
            "lowest",
            "highest",
            "baseline",
            "baseline_date",
            "baseline_source",
            "target",
            "target_date",
            "data_source",
            "frequency",
            "owner",
            "standards",
        ]
        widgets = {
            "baseline_date": _date(),
            "target_date": _date(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = person_field(plan, "Owner (records its measurements)")
        objective = self.fields["objective"]
        assert isinstance(objective, forms.ModelChoiceField)
        objective.queryset = Objective.objects.filter(plan=plan)
        objective.empty_label = "None of them"
        use_standards_choices(self.fields["standards"])
        for name in ("baseline", "target", "lowest", "highest"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"


class MeasurementForm(forms.Form):
    date = forms.DateField(widget=_date(), error_messages={"invalid": "Enter the date as day, month and year."})
    value = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": "Enter a number, such as 62 or 62.5.",
            "max_decimal_places": "Use at most two decimal places.",
        },
    )
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: Any, kpi: KPI, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        self.fields["value"].label = f"Value ({kpi.unit})"
        self.fields["value"].help_text = _range_help(kpi)

    def clean_value(self) -> Decimal:
        value: Decimal = self.cleaned_data["value"]
        if problem := rules.in_range(value, self.kpi.lowest, self.kpi.highest):
            raise forms.ValidationError(problem)
        return value


def _range_help(kpi: KPI) -> str:
    if kpi.highest is not None:
        return f"From {rules.plain(kpi.lowest)} to {rules.plain(kpi.highest)}."
    return f"{rules.plain(kpi.lowest)} or more."


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns: date, value and, if you like, note. Up to 2,000 rows.")


class EvidenceForm(VersionedFormMixin, forms.ModelForm):
    confirm_anonymous = forms.BooleanField(
        required=False, label="I have checked: this does not identify a resident (save it anyway)."
    )

    class Meta:
        model = Evidence
        fields = ["date", "source", "method", "kpi", "summary", "quotes", "themes", "sentiment"]
        widgets = {"date": _date(), "summary": forms.Textarea(attrs={"rows": 3}), "quotes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kpi = self.fields["kpi"]
        assert isinstance(kpi, forms.ModelChoiceField)
        kpi.queryset = KPI.objects.filter(plan=plan)
        kpi.empty_label = "Not about one KPI"
        kpi.label = "KPI it bears on"


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(choices=Review.Kind.choices, label="Review")
    held_on = forms.DateField(widget=_date(), label="Held on")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, label="What the review found")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Review.Decision.choices, widget=forms.RadioSelect, label="Final decision")
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, label="Reasons for the decision")


class BenefitsForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = BenefitsCase
        fields = [
            "minutes_saved_per_shift",
            "carer_shifts_per_week",
            "hour_value",
            "horizon_years",
            "actual_minutes_saved_per_shift",
            "social_return",
        ]
        widgets = {"social_return": forms.Textarea(attrs={"rows": 3})}


class BenefitLineForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = BenefitLine
        fields = ["kind", "description", "annual_value", "annual_count", "actual_annual_value"]


class AdjustmentLinkForm(forms.Form):
    kpi = forms.ModelChoiceField(queryset=KPI.objects.none(), required=False, label="KPI that triggered it", empty_label="None")
    review = forms.ModelChoiceField(
        queryset=Review.objects.none(), required=False, label="Review that triggered it", empty_label="None"
    )
    effect = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000, label="Effect seen")

    def __init__(self, *args: Any, plan: Plan, adjustment: Adjustment | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kpi, review = self.fields["kpi"], self.fields["review"]
        assert isinstance(kpi, forms.ModelChoiceField) and isinstance(review, forms.ModelChoiceField)
        kpi.queryset = KPI.objects.filter(plan=plan)
        review.queryset = Review.objects.filter(plan=plan)
        review.label_from_instance = _review_label  # type: ignore[method-assign,assignment]


def _review_label(review: Review) -> str:
    return f"{review.get_kind_display()}, {review.held_on:%d %b %Y}"
