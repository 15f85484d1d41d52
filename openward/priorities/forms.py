"""Forms for priorities pages. Rules live in services; forms parse and label."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from openward.engagement.models import Event

from .models import AgeBand, Concern, Consultation, Ethnicity, Level, Relationship
from .services import REVIEW_OUTCOMES

NOT_SAY = [("", "Prefer not to say")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")  # the only format a browser's date input reads


class BallotForm(forms.Form):
    first = forms.ChoiceField(label="Your first choice")
    second = forms.ChoiceField(label="Your second choice (optional)", required=False)
    third = forms.ChoiceField(label="Your third choice (optional)", required=False)
    other_text = forms.CharField(
        label="Anything else that worries you? (optional)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Do not include names or details that could identify anyone, yourself included: once cast, your "
            "words cannot be linked back to you, so they stay (anonymous) even if you delete your account."
        ),
    )
    age_band = forms.ChoiceField(label="Your age", required=False, choices=NOT_SAY + AgeBand.choices)
    ethnicity = forms.ChoiceField(label="Your ethnic group", required=False, choices=NOT_SAY + Ethnicity.choices)
    relationship = forms.ChoiceField(
        label="Your connection to the area", required=False, choices=NOT_SAY + Relationship.choices
    )

    def __init__(self, consultation: Consultation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = [(str(c.pk), c.name) for c in consultation.concerns.all()]
        self.fields["first"].choices = [("", "Choose a concern")] + options
        for name in ("second", "third"):
            self.fields[name].choices = [("", "No choice")] + options
        if not consultation.allow_free_text:
            del self.fields["other_text"]
        if not consultation.ask_demographics:
            for name in ("age_band", "ethnicity", "relationship"):
                del self.fields[name]

    def choices(self) -> list[str]:
        return [self.cleaned_data[k] for k in ("first", "second", "third") if self.cleaned_data.get(k)]

    def demographics(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in ("age_band", "ethnicity", "relationship")}


class ConsultationForm(forms.Form):
    title = forms.CharField(max_length=200)
    question = forms.CharField(max_length=300, initial="What should your neighbourhood team focus on?")
    opens_on = forms.DateField(widget=DateInput, label="Opens on")
    closes_on = forms.DateField(widget=DateInput, label="Closes on (at the end of the day before)")
    min_level = forms.TypedChoiceField(
        coerce=int, choices=Level.choices, initial=Level.EMAIL, label="Who may take part (lowest verification level)"
    )
    concerns = forms.ModelMultipleChoiceField(
        queryset=Concern.objects.active(), widget=forms.CheckboxSelectMultiple, label="Concerns to offer"
    )
    allow_free_text = forms.BooleanField(required=False, initial=True, label="Let people add their own words")
    ask_demographics = forms.BooleanField(
        required=False, initial=True, label="Ask optional questions about age, ethnic group and connection to the area"
    )


class PriorityForm(forms.Form):
    statement = forms.CharField(max_length=300, help_text="What the team will focus on, in plain words.")
    concern = forms.ModelChoiceField(
        queryset=Concern.objects.active(),
        required=False,
        help_text="The concern it answers; its crime categories give the baseline figure.",
    )
    consultation = forms.ModelChoiceField(queryset=Consultation.objects.none(), required=False)
    meeting = forms.ModelChoiceField(
        queryset=Event.objects.none(),
        required=False,
        label="Panel meeting",
        help_text="The ward or cluster panel meeting that agreed it.",
    )
    meeting_ref = forms.CharField(
        max_length=300,
        required=False,
        label="Or a meeting held elsewhere",
        help_text="A link to, or reference for, the meeting, if it is not in Open Ward.",
    )
    agreed_on = forms.DateField(widget=DateInput)
    review_on = forms.DateField(widget=DateInput)
    evidence_note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Other evidence")

    @staticmethod
    def consultation_for(ward, pk) -> Consultation | None:
        """A closed consultation of `ward` by id (from a link), or None."""
        try:
            return Consultation.objects.for_ward(ward).closed().get(pk=int(pk))
        except (TypeError, ValueError, Consultation.DoesNotExist):
            return None

    def __init__(self, ward, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only closed consultations: evidence is public, and an open one's running result is secret.
        self.fields["consultation"].queryset = Consultation.objects.for_ward(ward).closed()
        self.fields["meeting"].queryset = (
            Event.objects.for_ward(ward)
            .filter(kind__in=Event.PANEL_KINDS, starts_at__lte=timezone.now())
            .exclude(status=Event.Status.CANCELLED)
            .order_by("-starts_at")
        )


class ActionForm(forms.Form):
    taken_on = forms.DateField(widget=DateInput, label="Date")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What was done")


OUTCOME_WORDS = {
    "achieved": "Achieved",
    "not_achieved": "Not achieved",
    "carried_over": "Carried over: it stays open for another six months",
}


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(s.value, OUTCOME_WORDS[s.value]) for s in REVIEW_OUTCOMES], widget=forms.RadioSelect, label="Outcome"
    )
    reviewed_on = forms.DateField(widget=DateInput, label="Review date")
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="What the panel decided and why (optional)"
    )
