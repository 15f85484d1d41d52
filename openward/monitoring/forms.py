"""Input checked at the edge: a sample's month and size, the ids a sample page's buttons send, a member's
email and role, a grounds file, and a meeting (engagement's event form, its kind fixed)."""

from django import forms

from openward.engagement.forms import EventForm

from .members import ROLE_WORDS

BIGGEST_ID = 2**62


class DrawForm(forms.Form):
    month = forms.CharField(max_length=7)
    size = forms.IntegerField(
        min_value=1,
        max_value=100_000,
        error_messages={
            "required": "Give the sample size as a number.",
            "invalid": "Give the sample size as a number.",
            "min_value": "A sample needs at least one stop.",
            "max_value": "A sample may hold at most 100,000 stops.",
        },
    )

    def problem(self) -> str:
        return " ".join(str(e) for errors in self.errors.values() for e in errors)


class SampleButtonsForm(forms.Form):
    """The stop or action a button on a sample page is about (either may be absent)."""

    sampled = forms.IntegerField(required=False, min_value=1, max_value=BIGGEST_ID)
    action = forms.IntegerField(required=False, min_value=1, max_value=BIGGEST_ID)


class MemberForm(forms.Form):
    email = forms.CharField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Role in the group", choices=list(ROLE_WORDS.items()))


class GroundsFileForm(forms.Form):
    file = forms.FileField(
        label="Grounds file (CSV)",
        help_text='The sampled stops file with its "grounds" column filled in, saved as CSV UTF-8; up to 2 MB.',
        error_messages={"required": "Choose the CSV file to upload.", "empty": "The file is empty."},
    )


class MeetingForm(EventForm):
    """A group meeting: engagement's event form without the kind (it is always the group's meeting)."""

    class Meta(EventForm.Meta):
        fields = [f for f in EventForm.Meta.fields if f != "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda"].help_text = "One agenda item a line."
