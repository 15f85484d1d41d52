"""Forms for patrol pages. Rules live in services; forms parse and label."""

from __future__ import annotations

from django import forms

from openward.priorities.models import Priority


class DateInput(forms.DateInput):
    input_type = "date"


class PlacesField(forms.MultipleChoiceField):
    """Checkboxes of suggested places; any key is passed on, so the service can say why one is refused."""

    def valid_value(self, value):
        return True


class PlanForm(forms.Form):
    places = PlacesField(
        label="Places to patrol",
        widget=forms.CheckboxSelectMultiple,
        help_text="Suggested from the area's hot spots, busiest first, with the reason for each.",
    )
    title = forms.CharField(label="Name of the plan", max_length=200, initial="Hot-spot patrols")
    starts_on = forms.DateField(label="Starts on", widget=DateInput)
    ends_on = forms.DateField(label="Ends on", widget=DateInput)
    minutes_min = forms.IntegerField(label="Shortest visit (minutes)", initial=10, min_value=1)
    minutes_max = forms.IntegerField(label="Longest visit (minutes)", initial=15, min_value=1)
    visits_per_week = forms.IntegerField(label="Visits to each place per week", initial=3, min_value=1, max_value=50)
    hours_note = forms.CharField(
        label="When to visit",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="police.uk publishes no times of day: write the hours your team knows matter, and vary them.",
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Ward priorities this plan serves",
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, suggestions, priorities, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reasons = {key: reason for key, _, reason in suggestions}
        self.fields["places"].choices = [(key, label) for key, label, _ in suggestions]
        self.fields["priorities"].queryset = priorities

    def chosen_places(self) -> list[tuple[str, str]]:
        return [(key, self.reasons.get(key, "")) for key in self.cleaned_data["places"]]


class VisitForm(forms.Form):
    place = forms.ChoiceField(label="Where")
    day = forms.DateField(label="Day", widget=DateInput)
    time = forms.TimeField(label="Time you arrived", widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label="How long (minutes)", help_text="Whole minutes at the place.")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        help_text="What you saw or did. Do not name members of the public.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, plan, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(str(p.pk), p.label or f"{p.cell_key} ({p.reason})") for p in plan.places.all()]


class CiteForm(forms.Form):
    """Which of the plan's wards' priorities cites it (a bad or foreign id is a message, not a 500)."""

    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(), error_messages={"invalid_choice": "Choose one of the ward's priorities."}
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(ward__in=plan.wards()).select_related("ward")
