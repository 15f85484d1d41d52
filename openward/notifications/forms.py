from django import forms

from openward.areas.models import Ward

from .models import Subscriber, topic_model


class PreferencesForm(forms.Form):
    receiving = forms.BooleanField(required=False, label="Send me email from Open Ward")
    frequency = forms.ChoiceField(choices=Subscriber.Frequency.choices, widget=forms.RadioSelect)
    wards = forms.ModelMultipleChoiceField(
        queryset=Ward.objects.current(), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=topic_model().objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to hear about everything in your wards.",
    )


class SubscribeForm(forms.Form):
    ward = forms.CharField(label="Ward code", max_length=9, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(choices=Subscriber.Frequency.choices, widget=forms.RadioSelect, initial="immediate")
    topics = forms.ModelMultipleChoiceField(
        queryset=topic_model().objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
