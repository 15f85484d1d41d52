from __future__ import annotations

from django import forms

from openward.areas.models import Ward
from openward.crime.models import CrimeCategory

from .models import Commitment, Status


class CommitmentForm(forms.Form):
    text = forms.CharField(label="The commitment, in its own words", widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label="Where it was made", max_length=300)
    source_url = forms.URLField(label="Link to the source (optional)", required=False, assume_scheme="https")
    owner = forms.CharField(label="Who made it", max_length=200)
    owner_kind = forms.ChoiceField(label="Kind of owner", choices=Commitment.OwnerKind.choices)
    made_on = forms.DateField(label="Made on", widget=forms.DateInput(attrs={"type": "date"}))
    ward = forms.ModelChoiceField(
        label="Ward (leave empty for the whole borough)", queryset=Ward.objects.none(), required=False
    )
    measure = forms.ChoiceField(label="How it is measured", choices=Commitment.Measure.choices)
    categories = forms.MultipleChoiceField(
        label="Crime categories", required=False, widget=forms.CheckboxSelectMultiple
    )
    direction = forms.ChoiceField(
        label="Direction promised", choices=[("", "—"), *Commitment.Direction.choices], required=False
    )
    target_percent = forms.FloatField(
        label="Target in % (optional)",
        required=False,
        min_value=0,
        max_value=100,
        help_text="Crime: the change promised, e.g. 10 for down 10% (empty: any change). Replies: the share "
        "answered within 7 days (empty: every reply).",
    )
    every_borough = forms.BooleanField(
        label="Front counters: in every borough of the force, not only this one", required=False
    )

    def __init__(self, *args, borough, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.current().filter(borough=borough).order_by("name")
        self.fields["categories"].choices = list(CrimeCategory.objects.values_list("slug", "name"))


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Reviewed on", widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label="Status the evidence shows", choices=[("", "—"), *Status.choices], required=False)
    reason = forms.CharField(label="Why", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence_source = forms.CharField(label="Evidence and where it comes from", required=False, max_length=300)
    evidence_file = forms.FileField(
        label="The evidence as a file (optional)",
        required=False,
        help_text="A PDF, a CSV file or an image (PNG, JPEG, GIF or WebP), up to 10 MB. It is published with the "
        "review, so it must hold nothing about a person that is not already public.",
    )
