"""Forms for drafting a plan. Rules that need the database live in services; these check
the shape of the input and put every message beside its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils import timezone

from oakview.core.formats import long_date
from oakview.core.forms import fields_only, use_standards_choices
from oakview.core.inputs import SafeInputMixin
from oakview.core.locking import VersionedFormMixin
from oakview.core.models import CareHome, Role, User
from oakview.core.once import OnceFormMixin
from plans.models import Action, Driver, Milestone, Objective, Plan, Resource, TrainingSession
from plans.services.guards import check_dates
from plans.services.template import STARTER, TEMPLATES, PlanTemplate, get_template
from plans.snapshot.sections import SECTIONS
from plans.snapshot.text import WORD_PATTERN, XREF_PATTERN

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OUTSIDER = "That person is not a member of this home. Choose someone from the home's team."


def _members(home_id: int) -> QuerySet[User]:
    return User.objects.filter(memberships__home_id=home_id).order_by("first_name", "last_name", "username")


def _offer_members(field: Any, home_id: int, roles: frozenset[str] | None = None) -> None:
    """A choice of people: the home's members (with one of `roles`, if given), by the names
    they go by."""
    members = _members(home_id)
    if roles is not None:
        members = User.objects.filter(memberships__home_id=home_id, memberships__role__in=roles).order_by(
            "first_name", "last_name", "username"
        )
    field.queryset = members
    field.label_from_instance = lambda user: user.display_name


# Who can be given an action: the people who do the work and see it under My actions. The
# approver decides and the viewer reads; neither is handed tasks.
ACTION_OWNER_ROLES = frozenset({Role.MANAGER, Role.STAFF})


class _DatesMixin:
    def clean(self):
        cleaned = super().clean()
        try:
            check_dates(start=cleaned.get("start_date"), go_live=cleaned.get("go_live_date"), end=cleaned.get("end_date"))
        except ValidationError as e:
            for field, messages in e.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned


class PlanCreateForm(OnceFormMixin, SafeInputMixin, _DatesMixin, forms.Form):
    START_BLANK = "blank"
    START_TEMPLATE = "template"

    home = forms.ModelChoiceField(queryset=CareHome.objects.none(), empty_label=None)
    title = forms.CharField(max_length=200)
    summary = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    start_date = forms.DateField(widget=DATE, help_text="Three months from start to end is the usual span.")
    go_live_date = forms.DateField(widget=DATE, required=False, label="Go-live date")
    end_date = forms.DateField(widget=DATE, required=False)
    start_from = forms.ChoiceField(
        label="Start from",
        choices=[],  # the library's templates, read when the form is made
        initial=STARTER.key,
        widget=forms.RadioSelect,
    )

    def template(self) -> PlanTemplate | None:
        return get_template(self.cleaned_data["start_from"])

    def __init__(self, *args, homes=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["home"]).queryset = homes if homes is not None else CareHome.objects.none()
        # Every template in the library, then a blank plan; the starter's old value still counts.
        cast(forms.ChoiceField, self.fields["start_from"]).choices = [
            *[(t.key, f"The “{t.name}” template ({t.gives})") for t in TEMPLATES.values()],
            (self.START_BLANK, "A blank plan"),
        ]
        if self.data.get("start_from") == self.START_TEMPLATE:
            self.data = self.data.copy()
            self.data["start_from"] = STARTER.key


class PlanFilterForm(SafeInputMixin, forms.Form):
    """The plan list's filters. Anything invalid (a stale bookmark) is ignored, not refused."""

    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Plan.Status.choices])
    home = forms.ModelChoiceField(label="Home", required=False, queryset=CareHome.objects.none(), empty_label="All my homes")

    def __init__(self, *args: Any, homes: QuerySet[CareHome], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["home"]).queryset = homes
        names = ["status", "home"] if homes.count() > 1 else ["status"]
        if "home" not in names:
            del self.fields["home"]
        self.helper = fields_only(Row(*(Column(name, css_class="col-auto") for name in names), css_class="g-2"))
        self.helper.form_show_errors = False

    def values(self) -> tuple[str, CareHome | None]:
        if not self.is_bound:
            return "", None
        self.is_valid()
        return self.cleaned_data.get("status") or "", self.cleaned_data.get("home")


class PlanDetailsForm(_DatesMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "title",
            "summary",
            "start_date",
            "go_live_date",
            "end_date",
            *Plan.SUBMISSION_FIELDS,
        ]
        widgets = {
            "start_date": DATE,
            "go_live_date": DATE,
            "end_date": DATE,
            "submission_date": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "submission_candidate": "Optional: only if you are submitting this plan as a qualification case study. "
            "What you fill in here is printed on the PDF's cover.",
            "submission_qualification": "For example: Level 5 Diploma in Leadership and Management for Adult Care (England), "
            "unit: Lead and manage change.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_only(
            "title",
            "summary",
            Row(Column("start_date"), Column("go_live_date"), Column("end_date")),
            Fieldset("Submission details (optional)", *Plan.SUBMISSION_FIELDS),
            "version",
        )


SECTION_EXTRA_FIELDS = {"need": ["current_state", "desired_state", "safety_link", "staff_message"]}


def section_form_class(section):
    fields = [*SECTION_EXTRA_FIELDS.get(section.key, []), section.narrative_field]
    widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
    widgets[section.narrative_field] = forms.Textarea(
        attrs={
            "rows": 18,
            "data-word-count": f"#word-count-{section.key}",
            # The server's own rule, so the live count while typing is the number saved.
            "data-word-pattern": WORD_PATTERN,
            # Citations of appendices ([[appendix:risks]]) are not words, as on the server.
            "data-skip-pattern": XREF_PATTERN,
            "aria-describedby": f"word-count-{section.key}",
        }
    )
    meta = type(
        "Meta",
        (),
        {
            "model": Plan,
            "fields": fields,
            "widgets": widgets,
            "labels": {section.narrative_field: f"Narrative: {section.title} (Markdown)"},
        },
    )
    return type(f"{section.key.title()}SectionForm", (VersionedFormMixin, forms.ModelForm), {"Meta": meta})


SECTION_FORMS = {s.key: section_form_class(s) for s in SECTIONS}


class RowForm(OnceFormMixin, VersionedFormMixin, forms.ModelForm):
    """A plan row's form; knows the plan so choices are limited to its home and rows."""

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if "owner" in self.fields:
            _offer_members(self.fields["owner"], plan.home_id)
            self.fields["owner"].error_messages["invalid_choice"] = OUTSIDER
        if "standards" in self.fields:
            field = self.fields["standards"]
            use_standards_choices(field)
            field.help_text = "Hold Ctrl (Cmd on a Mac) to choose more than one."
            field.widget.attrs["size"] = 8

    def m2m_values(self) -> dict:
        fields = self._meta.fields or ()
        return {name: list(self.cleaned_data.get(name) or []) for name in fields if name in ("standards", "attendees")}


class DriverForm(RowForm):
    class Meta:
        model = Driver
        fields = ["kind", "description", "evidence_kind", "evidence", "standards"]
        labels = {"evidence_kind": "Kind of evidence"}
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3})}


class ObjectiveForm(RowForm):
    class Meta:
        model = Objective
        fields = ["title", "measure", "target", "target_date"]
        help_texts = {
            "title": "Specific and achievable: what will be different.",
            "measure": "How you will know.",
            "target": "The figure to reach.",
        }
        widgets = {"target_date": DATE}


class ResourceForm(RowForm):
    class Meta:
        model = Resource
        fields = ["kind", "description", "quantity", "unit", "unit_cost", "secured", "owner"]
        labels = {"secured": "Secured (untick if only requested)"}


class MilestoneForm(RowForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done"]
        widgets = {"due_date": DATE}


class ActionForm(RowForm):
    class Meta:
        model = Action
        fields = ["title", "description", "owner", "due_date", "status", "milestone", "standards"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        cast(forms.ModelChoiceField, self.fields["milestone"]).queryset = Milestone.objects.filter(plan=plan)
        _offer_members(self.fields["owner"], plan.home_id, ACTION_OWNER_ROLES)
        self.fields["owner"].help_text = "Someone on the home's team (managers and staff): they see it under My actions."
        self.fields["owner"].error_messages["invalid_choice"] = (
            "That person is not a member of this home who takes on actions. "
            "Actions go to the home's managers and staff, who see them under My actions."
        )


class TrainingSessionForm(RowForm):
    class Meta:
        model = TrainingSession
        fields = ["title", "starts_at", "duration_hours", "trainer", "attendees", "backfill_hours"]
        labels = {
            "starts_at": "Starts",
            "duration_hours": "Duration (hours)",
            "backfill_hours": "Backfill (care hours brought in)",
        }
        help_texts = {
            "backfill_hours": "Extra care hours rostered (bank or agency staff, extended shifts) to cover the attendees."
        }
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "attendees": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        field = self.fields["attendees"]
        _offer_members(field, plan.home_id)
        field.required = False
        field.error_messages["invalid_choice"] = "Attendees must be members of this home: %(value)s is not."
        # A session is part of a day's work: more than a day is a typing slip.
        self.fields["duration_hours"].validators.append(
            MaxValueValidator(Decimal("24"), message="A session lasts at most 24 hours; split a longer course into sessions.")
        )
        cast(forms.DateTimeField, self.fields["starts_at"]).input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value and self.plan.start_date and self.plan.end_date:
            day = timezone.localtime(value).date()
            if not (self.plan.start_date <= day <= self.plan.end_date):
                raise ValidationError(
                    f"The session is outside the plan ({long_date(self.plan.start_date)} to {long_date(self.plan.end_date)})."
                )
        return value


class ActionStatusForm(VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
    note = forms.CharField(required=False, max_length=2000, label="Note (optional)")

    def __init__(self, *args: Any, action: Action | None = None, **kwargs: Any) -> None:
        if action is not None:
            # Each card on My actions has its own form: ids per action keep labels unique.
            kwargs.setdefault("auto_id", f"id_%s_{action.pk}")
        self.versioned_instance = action  # the version is required: the row exists
        super().__init__(*args, **kwargs)
        if action is not None and not self.is_bound:
            self.initial.setdefault("status", action.status)
            self.initial.setdefault("version", action.version)
        self.helper = fields_only(
            "version",
            Row(Column("status", css_class="col-sm-4"), Column("note", css_class="col-sm-8"), css_class="g-2"),
        )


class BulkAssignForm(forms.Form):
    """Owners and due dates for the ticked actions of the plan's actions table."""

    actions = forms.ModelMultipleChoiceField(
        queryset=Action.objects.none(),
        error_messages={"required": "Tick the actions to change first."},
        widget=forms.MultipleHiddenInput,
    )
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Owner", empty_label="(keep as it is)")
    due_date = forms.DateField(widget=DATE, required=False, label="Due date")

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["actions"]).queryset = Action.objects.filter(plan=plan)
        _offer_members(self.fields["owner"], plan.home_id, ACTION_OWNER_ROLES)
        self.fields["owner"].error_messages["invalid_choice"] = "Actions go to the home's managers and staff."
        self.fields["owner"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["due_date"].widget.attrs["class"] = "form-control form-control-sm"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("owner") and not cleaned.get("due_date") and not self.errors:
            raise ValidationError("Choose an owner or a due date to give the selected actions.")
        return cleaned
