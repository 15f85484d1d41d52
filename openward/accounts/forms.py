from django import forms

from .models import Purpose, Relationship, Role


class SignUpForm(forms.Form):
    email = forms.CharField(
        label="Email address", max_length=254, error_messages={"required": "Enter your email address."}
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=12,
        error_messages={"required": "Enter your postcode, like SW1A 1AA."},
        help_text="Where you live, work, study or run a business. We use it to find your ward.",
    )
    relationship = forms.ChoiceField(
        label="How are you connected to this ward?", choices=Relationship.choices, initial=Relationship.LIVES
    )
    notifications = forms.BooleanField(label=Purpose.NOTIFICATIONS.label, required=False)
    research = forms.BooleanField(label=Purpose.RESEARCH.label, required=False)


class SignInForm(forms.Form):
    email = forms.CharField(
        label="Email address", max_length=254, error_messages={"required": "Enter your email address."}
    )


class ConsentForm(forms.Form):
    notifications = forms.BooleanField(label=Purpose.NOTIFICATIONS.label, required=False)
    research = forms.BooleanField(label=Purpose.RESEARCH.label, required=False)


class TokenForm(forms.Form):
    name = forms.CharField(label="Name for the token", max_length=80, help_text="So you can tell your tokens apart.")


class OtpForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app", max_length=10, help_text="Six digits, for example 123456."
    )


class DeleteForm(forms.Form):
    confirm = forms.CharField(label='Type "delete" to confirm', max_length=10)

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip().lower() != "delete":
            raise forms.ValidationError('Type the word "delete" to confirm, or go back to keep your account.')
        return "delete"


class GrantRoleForm(forms.Form):
    email = forms.CharField(label="Email address of the person", max_length=254)
    role = forms.ChoiceField(label="Role", choices=[(r.value, r.label) for r in Role if r != Role.RESIDENT])
    ward = forms.ChoiceField(label="Where", help_text="A ward, or the whole borough.")


class RevokeRoleForm(forms.Form):
    """Which grant to take back: one of `grants`, by its id (anything else is a message, not an error page)."""

    revoke = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "invalid_choice": "That role is no longer held here. Reload the page to see who holds what.",
            "required": "That role is no longer held here. Reload the page to see who holds what.",
        },
    )

    def __init__(self, *args, grants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoke"].queryset = grants
