from django import forms
from django.db.models import Q

from openward.areas.models import Borough, Cluster, Ward

from .models import Action, Attendance, Bulletin, Event, Topic, VolunteerTask
from .services.bulletins import BulletinFields
from .services.events import check_future

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "input"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    online_link = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text="Shown only to people with a confirmed place.",
        widget=forms.URLInput(attrs={"class": "input"}),
    )
    agenda = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One agenda item a line. Overdue actions are added to panel meetings for you.",
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "mode",
            "starts_at",
            "ends_at",
            "address",
            "online_link",
            "capacity",
            "description",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "title": forms.TextInput(attrs={"class": "input"}),
            "address": forms.TextInput(attrs={"class": "input"}),
            "capacity": forms.NumberInput(attrs={"class": "input", "min": 1}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            # A monitoring group's meetings are its chair's, scheduled from the group's pages (openward/monitoring).
            self.fields["kind"].choices = [
                (value, label) for value, label in self.fields["kind"].choices if value != Event.Kind.MONITORING_GROUP
            ]

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if self.instance.pk is None or starts_at != self.instance.starts_at:
            check_future(starts_at)  # the service's own check, so the page says what the API says
        return starts_at


class EventChangeForm(EventForm):
    """The same fields as a new event, less the agenda (agreed items stay as they are)."""

    class Meta(EventForm.Meta):
        fields = [f for f in EventForm.Meta.fields if f != "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["agenda"]


class RegisterForm(forms.Form):
    share_name = forms.BooleanField(required=False, label="You may list my name in the meeting's attendance record")


class CancelEventForm(forms.Form):
    reason = forms.CharField(max_length=300, widget=forms.TextInput(attrs={"class": "input"}))


# How many came, in each group: labels that cannot be confused with a minutes topic ("Other").
ATTENDANCE_LABELS = {
    "resident": "Residents",
    "business": "Businesses or workers",
    "panel": "Panel members",
    "officer": "Police officers",
    "pcso": "PCSOs",
    "councillor": "Councillors",
    "partner": "Partner agencies",
    "other": "Anyone else",
}


class MeetingRecordForm(forms.Form):
    summary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Overall summary",
        help_text="A few sentences for someone who was not there.",
    )
    publish = forms.BooleanField(required=False, label="Publish the record now (it is then kept for good)")

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = list(topics)
        for topic in self.topics:
            self.fields[f"topic_{topic.pk}"] = forms.CharField(
                required=False, label=topic.name, widget=forms.Textarea(attrs={"rows": 3})
            )
        for role in Attendance.Role.values:
            self.fields[f"count_{role}"] = forms.IntegerField(
                required=False,
                min_value=0,
                max_value=2000,
                label=ATTENDANCE_LABELS.get(role, role),
                widget=forms.NumberInput(attrs={"class": "input input--width-5", "inputmode": "numeric"}),
            )
        self.fields["named"] = forms.CharField(
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            label="People who agreed to be named",
            help_text='One a line as "group: name", e.g. "councillor: Jo Bloggs". Everyone else is only counted.',
        )

    def topic_fields(self):
        return [self[f"topic_{t.pk}"] for t in self.topics]

    def attendance(self) -> list[dict] | None:
        """Who came, as write_meeting_record takes it: the people named, then one row for each other person
        counted in a group (None when nothing was given)."""
        rows = list(self.cleaned_data["named"])
        for role in Attendance.Role.values:
            named = sum(1 for row in rows if row["role"] == role)
            rows += [{"role": role}] * max(0, (self.cleaned_data.get(f"count_{role}") or 0) - named)
        return rows or None

    def count_fields(self):
        return [self[f"count_{role}"] for role in Attendance.Role.values]

    def clean_named(self):
        rows = []
        roles = {label.lower(): value for value, label in Attendance.Role.choices}
        roles |= {label.lower(): value for value, label in ATTENDANCE_LABELS.items()}
        roles |= {v: v for v in Attendance.Role.values}
        for line in self.cleaned_data["named"].splitlines():
            if not line.strip():
                continue
            role, sep, name = line.partition(":")
            if not sep or role.strip().lower() not in roles or not name.strip():
                raise forms.ValidationError(
                    f'Write "{line.strip()}" as "group: name", with a group from "Who came", '
                    'like "councillor: Jo Bloggs".'
                )
            rows.append({"role": roles[role.strip().lower()], "name": name.strip()[:120], "agreed_to_be_named": True})
        return rows


# Who usually owns an action; any other owner can be typed.
OWNER_SUGGESTIONS = [
    "Ward officer",
    "PCSO",
    "Sergeant, ward team",
    "Panel chair",
    "Panel members",
    "The council",
    "Housing provider",
    "Transport for London",
]


class ActionForm(forms.ModelForm):
    priority = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Ward priority it serves",
        empty_label="None of them",
        error_messages={"invalid_choice": "Choose one of the ward's open priorities, or none of them."},
    )

    class Meta:
        model = Action
        fields = ["what", "owner", "due_date"]
        labels = {"what": "What will be done", "owner": "Who does it", "due_date": "Due by"}
        help_texts = {"owner": "Choose a suggestion or type a role or name they agreed to."}
        widgets = {
            "what": forms.Textarea(attrs={"rows": 2}),
            "owner": forms.TextInput(attrs={"class": "input", "list": "owner-suggestions", "autocomplete": "off"}),
            "due_date": forms.DateInput(attrs={"type": "date", "class": "input input--width-10"}),
        }

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_suggestions = OWNER_SUGGESTIONS
        # One query: the open priorities are read once, both to know whether to ask and to list them.
        options = list(priorities)
        if not options:
            del self.fields["priority"]
            return
        field = self.fields["priority"]
        field.queryset = priorities  # what a posted choice is checked against
        field.choices = [("", field.empty_label), *((p.pk, f"{p.statement} ({p.ward.name})") for p in options)]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
    note = forms.CharField(required=False, max_length=2000, widget=forms.TextInput(attrs={"class": "input"}))


class TopicForm(forms.Form):
    name = forms.CharField(max_length=120, widget=forms.TextInput(attrs={"class": "input"}))


class BulletinForm(forms.Form):
    title = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"class": "input"}))
    kind = forms.ChoiceField(choices=Bulletin.Kind.choices)
    summary = forms.CharField(max_length=300, required=False, widget=forms.TextInput(attrs={"class": "input"}))
    body_markdown = forms.CharField(
        label="Text",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "Write or paste plain paragraphs; each line break is kept. Web addresses become links. "
            "For more: **bold**, *italic*, a line starting with - for a list, ## for a heading, "
            "[words](https://…) for a link. Use Preview to see it before it goes out."
        ),
    )
    wards = forms.ModelMultipleChoiceField(
        queryset=Ward.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    clusters = forms.ModelMultipleChoiceField(
        queryset=Cluster.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    boroughs = forms.ModelMultipleChoiceField(
        queryset=Borough.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Subscribers who follow only some topics get it if one of these is theirs.",
    )
    image = forms.FileField(required=False, help_text="PNG, JPEG, GIF or WebP, up to 5 MB.")
    image_alt = forms.CharField(
        required=False, max_length=300, label="Describe the image", widget=forms.TextInput(attrs={"class": "input"})
    )

    def __init__(self, *args, wards, clusters, boroughs, own_places=(), **kwargs):
        super().__init__(*args, **kwargs)
        everywhere = ", ".join(p.name for p in own_places) or "the places you work in"
        for name, queryset in (("wards", wards), ("clusters", clusters), ("boroughs", boroughs)):
            if not queryset.exists():
                del self.fields[name]  # nothing to choose from: no empty group of checkboxes
                continue
            self.fields[name].queryset = queryset
            self.fields[name].help_text = f"Choose none to send it to all your places: {everywhere}."
        # The topics residents of these places can follow (the standard ones and their panels' own), and any
        # the bulletin already has.
        in_places = Ward.objects.filter(Q(pk__in=wards) | Q(clusters__in=clusters) | Q(borough__in=boroughs))
        chosen = [t.pk for t in self.initial.get("topics") or ()]
        offered = Topic.objects.offered_in(in_places.values_list("pk", flat=True)) | Topic.objects.filter(pk__in=chosen)
        self.fields["topics"].queryset = offered.distinct()

    def clean(self):
        data = super().clean()
        for name in ("wards", "clusters", "boroughs"):
            data.setdefault(name, [])
        if data.get("image") and not data.get("image_alt"):
            self.add_error("image_alt", "Describe the image for people who cannot see it.")
        return data

    def bulletin_fields(self) -> BulletinFields:
        """What the author wrote, as the bulletin services take it (after `is_valid()`)."""
        return BulletinFields.of(self.cleaned_data)


class BulletinRevisionForm(BulletinForm):
    """Correcting a published bulletin: the same editor, without adding images."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["image"]
        del self.fields["image_alt"]


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Your answer", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))


class VolunteerTaskForm(forms.ModelForm):
    class Meta:
        model = VolunteerTask
        fields = ["title", "kind", "place", "starts_at", "ends_at", "places", "vetting", "description"]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "title": forms.TextInput(attrs={"class": "input"}),
            "place": forms.TextInput(attrs={"class": "input"}),
            "places": forms.NumberInput(attrs={"class": "input", "min": 1}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class VolunteerSignupForm(forms.Form):
    confirms_vetting = forms.BooleanField(required=False, label="I hold the vetting this task needs")


class VolunteerReportForm(forms.Form):
    volunteers = forms.IntegerField(min_value=0, max_value=100_000, widget=forms.NumberInput(attrs={"class": "input"}))
    hours = forms.DecimalField(
        min_value=0,
        max_digits=7,
        decimal_places=2,
        label="Total hours given",
        widget=forms.NumberInput(attrs={"class": "input", "step": "0.25"}),
    )
    findings = forms.CharField(label="What was found or done", widget=forms.Textarea(attrs={"rows": 5}))
