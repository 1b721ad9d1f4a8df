"""Forms of the case-study assessment: a passage linked to a criterion, an assessor
assigned, and the assessor's judgements."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms

from oakview.core.forms import fields_only
from oakview.core.models import User
from plans.assessment.criteria import CRITERIA
from plans.assessment.passages import paragraphs
from plans.models import Assessment, CriterionJudgement, Plan
from plans.snapshot.sections import SECTIONS


def passage_value(section: str, text: str) -> str:
    # By content, not position: if the answer is edited between showing the form and posting
    # it, a stale choice is refused rather than linking whichever paragraph moved into its place.
    return f"{section}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"


class PassageLinkForm(forms.Form):
    passage = forms.ChoiceField(
        label="The passage that meets this criterion",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the paragraph that meets this criterion.",
            "invalid_choice": "That paragraph has changed since the page was shown: choose it again.",
        },
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_only()
        self.by_value: dict[str, tuple[str, str]] = {}
        choices: list[tuple[str, list[tuple[str, str]]]] = []
        for section in SECTIONS:
            options = []
            for text in paragraphs(plan.narrative(section)):
                value = passage_value(section.key, text)
                self.by_value[value] = (section.key, text)
                options.append((value, text if len(text) <= 400 else text[:399] + "…"))
            if options:
                choices.append((f"{section.number} {section.title}", options))
        field = self.fields["passage"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        self.has_choices = bool(choices)

    def chosen(self) -> tuple[str, str]:
        return self.by_value[self.cleaned_data["passage"]]


class AssessorAssignForm(forms.Form):
    assessor = forms.ModelChoiceField(
        label="Assessor",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the assessor.", "invalid_choice": "Choose one of the home's viewers."},
        help_text="A viewer of this home: an assessor, auditor or inspector.",
    )

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_only()
        field = self.fields["assessor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in candidates])


JUDGEMENT_CHOICES = [("", "Not judged yet"), *CriterionJudgement.Judgement.choices]


class AssessmentForm(forms.Form):
    """A judgement and feedback per criterion, the overall feedback and outcome."""

    feedback = forms.CharField(
        label="Overall feedback", required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    outcome = forms.ChoiceField(
        label="Overall outcome",
        required=False,
        choices=[("", "Not decided yet"), *Assessment.Outcome.choices],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = fields_only()
        for c in CRITERIA:
            self.fields[f"judgement_{c.key}"] = forms.ChoiceField(
                label=f"Judgement: {c.title}",
                required=False,
                choices=JUDGEMENT_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[f"feedback_{c.key}"] = forms.CharField(
                label=f"Feedback: {c.title}", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def criterion_fields(self) -> list[tuple[Any, Any, Any]]:
        """(criterion, judgement field, feedback field) in criteria order, for the template."""
        return [(c, self[f"judgement_{c.key}"], self[f"feedback_{c.key}"]) for c in CRITERIA]

    @staticmethod
    def initial_from(assessment: Assessment | None) -> dict[str, str]:
        if assessment is None:
            return {}
        data = {"feedback": assessment.feedback, "outcome": assessment.outcome}
        for j in assessment.judgements.all():
            data[f"judgement_{j.criterion}"] = j.judgement
            data[f"feedback_{j.criterion}"] = j.feedback
        return data
