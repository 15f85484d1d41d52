from django import forms

from .models import AddressDocument, IdentityDocument, Method, Relationship


class JoinWardForm(forms.Form):
    postcode = forms.CharField(
        label="A postcode in the ward",
        max_length=12,
        help_text="For example where you work, study or run a business.",
        error_messages={"required": "Enter a postcode in the ward you want to add."},
    )
    relationship = forms.ChoiceField(label="How are you connected to this ward?", choices=Relationship.choices)
    home = forms.BooleanField(label="This is my home ward now (I have moved here)", required=False)


class LetterForm(forms.Form):
    recipient = forms.CharField(
        label="Name on the letter (optional)",
        max_length=100,
        required=False,
        help_text='Leave empty for "The Occupier".',
    )
    address = forms.CharField(
        label="Address",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=400,
        help_text="House number or name, street.",
        error_messages={"required": "Enter the address the letter should go to: the house number or name and street."},
    )
    postcode = forms.CharField(
        label="Postcode", max_length=12, error_messages={"required": "Enter the postcode of the address."}
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the letter",
        max_length=20,
        help_text="8 letters and numbers, like ABCD-2345.",
        error_messages={"required": "Enter the code printed on your letter."},
    )


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label="Reference the person shows you", max_length=20, help_text="8 letters and numbers, like ABCD-2345."
    )


class InPersonForm(forms.Form):
    reference = forms.CharField(widget=forms.HiddenInput, max_length=20)
    method = forms.ChoiceField(
        label="How you checked",
        choices=[(m.value, m.label) for m in (Method.OFFICER, Method.PANEL_CHAIR, Method.FRONT_COUNTER)],
    )
    identity = forms.ChoiceField(
        label="Photo identity you saw",
        choices=[("", "Choose one")] + IdentityDocument.choices,
        error_messages={"required": "Choose the photo identity document you saw."},
    )
    address_proof = forms.ChoiceField(
        label="Proof of address you saw",
        choices=[("", "Choose one")] + AddressDocument.choices,
        help_text="It must show their name at an address in this ward.",
        error_messages={"required": "Choose the document you saw with their name at the address."},
    )
    note = forms.CharField(
        label="Anything else to record (optional)",
        max_length=80,
        required=False,
        help_text="Do not copy numbers from documents.",
    )


class ReviewForm(forms.Form):
    """A flagged membership, one of `flagged` by its id, that staff have looked at."""

    membership = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "invalid_choice": "That membership is no longer waiting for review. Reload the page.",
            "required": "That membership is no longer waiting for review. Reload the page.",
        },
    )
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, flagged, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = flagged
