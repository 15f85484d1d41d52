"""Forms for finding an area."""

from django import forms

from .selectors import PostcodeLookupError, postcode_lookup


class PostcodeForm(forms.Form):
    """A postcode, checked against our look-up; `result` holds where it is once valid."""

    postcode = forms.CharField(
        label="Postcode",
        max_length=20,
        error_messages={"required": 'Enter a postcode, like "SW1A 1AA".'},
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "spellcheck": "false", "class": "input input--width-10"}
        ),
    )

    def clean_postcode(self):
        try:
            self.result = postcode_lookup(self.cleaned_data["postcode"])
        except PostcodeLookupError as exc:
            raise forms.ValidationError(str(exc)) from None
        return self.result.postcode.display
