"""Forms of the stakeholder pages. Every choice of a person or a record is limited to the
plan's home and the plan itself, and an out-of-range or outside value (a crafted POST)
gets a message beside the field, never a server error."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from oakview.core.inputs import SafeInputMixin
from oakview.core.locking import VersionedFormMixin
from oakview.core.models import Role, User
from oakview.core.once import OnceFormMixin
from plans.models import Plan, Resource

from . import vocab
from .models import AdkarPulse, Champion, CommunicationItem, Concern, EngagementActivity, Stakeholder
from .rules import next_due_after
from .validators import plain_text


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def home_members(plan: Plan, roles=None):
    qs = User.objects.filter(memberships__home_id=plan.home_id)
    if roles is not None:
        qs = qs.filter(memberships__role__in=roles)
    return qs.order_by("first_name", "last_name", "username")


# Champions and the colleagues they support work in the home: its staff and its manager,
# not the operations director or a visiting assessor.
TEAM_ROLES = (Role.STAFF, Role.MANAGER)


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


def person_field(plan: Plan, label: str, *, required: bool = False, help_text: str = "", roles=None) -> PersonField:
    return PersonField(
        queryset=home_members(plan, roles),
        required=required,
        label=label,
        help_text=help_text,
        empty_label="Choose someone…" if required else "Nobody yet",
        error_messages={
            "invalid_choice": f"Choose someone who is a member of {plan.home.name}.",
            "required": f"Choose someone from {plan.home.name}'s team.",
        },
    )


def level_field(label: str, levels: tuple[vocab.Level, ...], help_text: str = "") -> forms.TypedChoiceField:
    message = f"Choose {label.lower()} from 1 ({levels[0].name}) to 5 ({levels[-1].name})."
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Choose…"), *[(lv.value, lv.label) for lv in levels]],
        coerce=int,
        help_text=help_text,
        error_messages={"invalid_choice": message, "required": message},
    )


def _stakeholder_field(plan: Plan, label: str, *, required: bool = True, staff_only: bool = False) -> forms.ModelChoiceField:
    qs = Stakeholder.objects.filter(plan=plan)
    if staff_only:
        qs = qs.staff_groups()
    return forms.ModelChoiceField(
        queryset=qs.order_by("name"),
        label=label,
        required=required,
        empty_label="Choose…",
        error_messages={
            "invalid_choice": "Choose a stakeholder from this plan's map.",
            "required": "Choose who this is about, from the stakeholder map.",
        },
    )


class ModelData:
    """cleaned_data for the model's own fields (not the many-to-many or the extras)."""

    model_fields: tuple[str, ...] = ()
    cleaned_data: dict[str, Any]  # a Form's, which every user of this mixin is

    def model_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.model_fields}


# --- Stakeholders ----------------------------------------------------------------------------


class StakeholderForm(OnceFormMixin, ModelData, VersionedFormMixin, forms.ModelForm):
    model_fields = (
        "name",
        "kind",
        "headcount",
        "shift_pattern",
        "power",
        "interest",
        "stance",
        "concerns",
        "needs_to_hear",
        "strategy",
        "owner",
    )
    power = level_field("Power", vocab.POWER, "How much they can help or block the change.")
    interest = level_field("Interest", vocab.INTEREST, "How much the change affects them or matters to them.")
    stance_changed_on = forms.DateField(
        label="Stance changed on",
        required=False,
        widget=_date_widget(),
        help_text="Only if the stance is new: when it changed (today if blank).",
    )
    stance_reason = forms.CharField(
        label="What moved them",
        required=False,
        max_length=300,
        validators=[plain_text],
        help_text="Only if the stance is new, e.g. “after the pilot review”.",
    )

    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "kind",
            "headcount",
            "shift_pattern",
            "power",
            "interest",
            "stance",
            "concerns",
            "needs_to_hear",
            "strategy",
            "owner",
        ]
        widgets = {
            "concerns": forms.Textarea(attrs={"rows": 2}),
            "needs_to_hear": forms.Textarea(attrs={"rows": 2}),
            "strategy": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "headcount": {
                "min_value": "A stakeholder is at least one person.",
                "max_value": "That is more people than any home has: check the number.",
            }
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["owner"] = person_field(plan, "Owner", help_text="Who keeps in touch with them.")
        cast(forms.ChoiceField, self.fields["shift_pattern"]).choices = [
            ("", "Choose… (staff groups only)"),
            *vocab.SHIFT_CHOICES,
        ]
        self.fields["strategy"].help_text = "Your approach for them. The grid suggests one from power and interest."
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk is None:
            # A new stakeholder's stance simply starts the history.
            del self.fields["stance_changed_on"], self.fields["stance_reason"]

    def stance_change(self) -> dict:
        if "stance_reason" not in self.fields:
            return {}
        return {
            "stance_changed_on": self.cleaned_data.get("stance_changed_on"),
            "stance_reason": self.cleaned_data.get("stance_reason", ""),
        }


class StakeholderFilterForm(SafeInputMixin, forms.Form):
    SORTS = [
        ("name", "Name"),
        ("-power", "Power, highest first"),
        ("-interest", "Interest, highest first"),
        ("stance", "Stance, most resistant first"),
    ]
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *vocab.KIND_CHOICES])
    quadrant = forms.ChoiceField(
        label="Quadrant", required=False, choices=[("", "Any quadrant"), *[(q.key, q.name) for q in vocab.QUADRANTS]]
    )
    stance = forms.ChoiceField(label="Stance", required=False, choices=[("", "Any stance"), *vocab.STANCE_CHOICES])
    shift = forms.ChoiceField(label="Shifts", required=False, choices=[("", "Any shifts"), *vocab.SHIFT_CHOICES])
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORTS)
    # A grid square: "4-5" is power 4, interest 5.
    cell = forms.RegexField(required=False, regex=r"^[1-5]-[1-5]$", widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        # Its own ids: the add form on the same page has fields of the same names.
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        for field in self.visible_fields():
            field.field.widget.attrs["class"] = "form-select form-select-sm"

    def values(self) -> dict:
        """Cleaned filters, anything invalid ignored (a stale bookmark still shows the map)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class PulseForm(OnceFormMixin, SafeInputMixin, ModelData, forms.ModelForm):
    model_fields = ("taken_on", *vocab.ADKAR_KEYS, "note")

    class Meta:
        model = AdkarPulse
        fields = ["taken_on", *vocab.ADKAR_KEYS, "note"]
        widgets = {"taken_on": _date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for element in vocab.ADKAR:
            self.fields[element.key] = forms.TypedChoiceField(
                label=f"{element.name}: {element.question}",
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                choices=[(n, str(n)) for n in range(1, 6)],
                error_messages={
                    "invalid_choice": f"Score {element.name.lower()} from 1 (not at all) to 5 (fully).",
                    "required": f"Score {element.name.lower()} from 1 (not at all) to 5 (fully).",
                },
            )
        if not self.is_bound:
            self.initial.setdefault("taken_on", timezone.localdate())


# --- Concerns --------------------------------------------------------------------------------


class ConcernForm(OnceFormMixin, ModelData, VersionedFormMixin, forms.ModelForm):
    model_fields = ("stakeholder", "raised_on", "channel", "text", "response", "responded_on", "action_taken")

    class Meta:
        model = Concern
        fields = ["stakeholder", "raised_on", "channel", "text", "response", "responded_on", "action_taken"]
        widgets = {
            "raised_on": _date_widget(),
            "responded_on": _date_widget(),
            "text": forms.Textarea(attrs={"rows": 2}),
            "response": forms.Textarea(attrs={"rows": 3}),
            "action_taken": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"responded_on": "Today if blank when you write a response."}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"] = _stakeholder_field(plan, "Raised by")
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("raised_on", timezone.localdate())


class ConcernResponseForm(ModelData, VersionedFormMixin, forms.ModelForm):
    model_fields = ("response", "responded_on", "action_taken")

    class Meta:
        model = Concern
        fields = ["response", "responded_on", "action_taken"]
        widgets = {
            "response": forms.Textarea(attrs={"rows": 3}),
            "action_taken": forms.Textarea(attrs={"rows": 2}),
            "responded_on": _date_widget(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response"].required = True
        self.fields["response"].error_messages["required"] = "Write the response you gave: what they were told."
        if not self.is_bound and not self.instance.responded_on:
            self.initial["responded_on"] = timezone.localdate()


class PlanActionForm(OnceFormMixin, SafeInputMixin, forms.Form):
    """A plan action made from a concern or an activity (it joins the plan's actions)."""

    title = forms.CharField(max_length=200, label="Action", validators=[plain_text])
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    due_date = forms.DateField(label="Due date", widget=_date_widget())
    description = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), validators=[plain_text]
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = person_field(plan, "Owner", required=True)


# --- Engagement, champions, communication -------------------------------------------------------


class ActivityForm(OnceFormMixin, ModelData, VersionedFormMixin, forms.ModelForm):
    model_fields = ("title", "kind", "held_on", "facilitator", "objectives", "invited", "attended", "outcome")

    class Meta:
        model = EngagementActivity
        fields = ["title", "kind", "held_on", "facilitator", "audience", "objectives", "invited", "attended", "outcome"]
        widgets = {
            "held_on": _date_widget(),
            "objectives": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "invited": {"min_value": "Invited cannot be negative."},
            "attended": {"min_value": "Attended cannot be negative."},
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"] = person_field(plan, "Facilitator")
        audience = cast(forms.ModelMultipleChoiceField, self.fields["audience"])
        audience.queryset = Stakeholder.objects.filter(plan=plan).order_by("name")
        audience.error_messages["invalid_choice"] = "Choose the audience from this plan's stakeholders."
        audience.help_text = "Who it is for."


def _resources(plan: Plan):
    return Resource.objects.filter(plan=plan, kind=Resource.Kind.HUMAN).order_by("id")


class ResourceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Resource) -> str:
        unit = f" {obj.unit}" if obj.unit else ""
        return f"{obj.description} ({obj.quantity:g}{unit}{', secured' if obj.secured else ', requested'})"


class ChampionForm(OnceFormMixin, ModelData, VersionedFormMixin, forms.ModelForm):
    model_fields = (
        "user",
        "shift_pattern",
        "max_supported",
        "protected_hours_per_week",
        "protected_from",
        "protected_resource",
        "note",
    )

    class Meta:
        model = Champion
        fields = [
            "user",
            "shift_pattern",
            "supports",
            "groups",
            "max_supported",
            "protected_hours_per_week",
            "protected_from",
            "protected_resource",
            "note",
        ]
        widgets = {
            "supports": forms.CheckboxSelectMultiple,
            "groups": forms.CheckboxSelectMultiple,
            "protected_from": _date_widget(),
        }
        error_messages = {
            "max_supported": {
                "min_value": "The cap is at least 1 person.",
                "max_value": "No champion can support more than 30 people well.",
            },
            "protected_hours_per_week": {"max_value": "Protected hours cannot be more than 40 a week."},
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = person_field(plan, "Champion", required=True, roles=TEAM_ROLES)
        cast(forms.ChoiceField, self.fields["shift_pattern"]).choices = [("", "Choose…"), *vocab.SHIFT_CHOICES]
        self.fields["supports"] = PeopleField(
            queryset=home_members(plan, TEAM_ROLES),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="People they support",
            help_text="Colleagues paired with this champion.",
            error_messages={"invalid_choice": f"Choose people who are members of {plan.home.name}."},
        )
        groups = cast(forms.ModelMultipleChoiceField, self.fields["groups"])
        groups.queryset = Stakeholder.objects.filter(plan=plan).staff_groups().order_by("name")
        groups.error_messages["invalid_choice"] = "Choose staff groups from this plan's stakeholder map."
        groups.help_text = "Everyone in a group counts towards the cap."
        self.fields["protected_resource"] = ResourceField(
            queryset=_resources(plan),
            required=False,
            label="Paid from",
            empty_label="Not yet agreed",
            help_text="The plan's resource (staff time) that pays for the protected hours.",
            error_messages={"invalid_choice": "Choose one of this plan's human resources (staff time)."},
        )


class CommunicationForm(OnceFormMixin, ModelData, VersionedFormMixin, forms.ModelForm):
    model_fields = ("stakeholder", "message", "channel", "frequency", "owner", "next_due", "last_sent")

    class Meta:
        model = CommunicationItem
        fields = ["stakeholder", "message", "channel", "frequency", "owner", "next_due", "last_sent"]
        widgets = {"message": forms.Textarea(attrs={"rows": 2}), "next_due": _date_widget(), "last_sent": _date_widget()}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"] = _stakeholder_field(plan, "To")
        self.fields["owner"] = person_field(plan, "Owner", help_text="Who sends it.")


class MarkSentForm(VersionedFormMixin, forms.Form):
    sent_on = forms.DateField(label="Sent on", widget=_date_widget())
    next_due = forms.DateField(label="Next due", required=False, help_text="Blank if no more are planned.", widget=_date_widget())

    def __init__(self, *args, item: CommunicationItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = item
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.update(sent_on=today, next_due=next_due_after(item.frequency, today), version=item.version)


class ConcernFilterForm(SafeInputMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), ("overdue", "Open over 14 days"), *Concern.Status.choices]
    )
    stakeholder = forms.TypedChoiceField(label="Raised by", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, plan: Plan, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)  # the log's add form has a "stakeholder" too
        cast(forms.ChoiceField, self.fields["stakeholder"]).choices = [
            ("", "Anyone"),
            *Stakeholder.objects.filter(plan=plan).order_by("name").values_list("pk", "name"),
        ]
        for field in self.visible_fields():
            field.field.widget.attrs["class"] = "form-select form-select-sm"

    def values(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
