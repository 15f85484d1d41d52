from django import forms

from openward.areas.models import Ward

from .models import Subscriber, topic_model


class PreferencesForm(forms.Form):
    receiving = forms.BooleanField(required=False, label="Send me email from Open Ward")
    frequency = forms.ChoiceField(label="How often", choices=Subscriber.Frequency.choices, widget=forms.RadioSelect)
    wards = forms.ModelMultipleChoiceField(
        queryset=Ward.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick a ward to stop its notices. To add a ward, open its page and choose “Get notices by email”.",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=topic_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to hear about everything in your wards.",
    )

    def __init__(self, *args, subscriber, **kwargs):
        super().__init__(*args, **kwargs)
        # The wards this address hears about, and the wards its person belongs to: a short list, not London.
        ids = set(subscriber.subscriptions.values_list("ward_id", flat=True))
        if subscriber.user_id:
            ids |= set(subscriber.user.memberships.values_list("ward_id", flat=True))
        self.fields["wards"].queryset = Ward.objects.filter(pk__in=ids).select_related("borough").order_by("name")
        # The topics those wards' panels meet under, and any this address already follows.
        chosen = topic_model().objects.filter(pk__in=subscriber.subscriptions.values("topics"))
        self.fields["topics"].queryset = (topic_model().objects.offered_in(ids) | chosen).distinct()


class SubscribeForm(forms.Form):
    ward = forms.CharField(label="Ward code", max_length=9, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(
        label="How often",
        choices=Subscriber.Frequency.choices,
        widget=forms.RadioSelect,
        initial="immediate",
        error_messages={"required": "Choose how often you want email."},
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=topic_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to hear about everything in the ward.",
    )

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topic_model().objects.offered_in([ward.pk] if ward is not None else [])
