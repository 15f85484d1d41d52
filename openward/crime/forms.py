"""Forms for choosing an area's crime figures."""

from django import forms

from openward.areas.forms import PostcodeForm

from .analytics.scope import AROUND_RADII_M, distance_words


class AroundPostcodeForm(PostcodeForm):
    """A postcode and how far around it: the keyboard's (and the offline) way to choose an area on /crime/area/."""

    radius = forms.TypedChoiceField(
        label="How far around it",
        choices=[(r, f"Within {distance_words(r)}") for r in AROUND_RADII_M],
        coerce=int,
        initial=500,
        error_messages={
            "required": "Choose how far around the postcode to look.",
            "invalid_choice": "Choose one of the distances in the list.",
        },
    )

    def clean_postcode(self):
        display = super().clean_postcode()
        if self.result.latitude is None or self.result.longitude is None:
            raise forms.ValidationError(
                f"We have no location for {display}, so cannot draw an area around it. Try a nearby postcode."
            )
        return display
