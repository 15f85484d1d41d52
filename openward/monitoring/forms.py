"""Input checked at the edge: a sample's month and size, and the ids a sample page's buttons send."""

from django import forms

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
