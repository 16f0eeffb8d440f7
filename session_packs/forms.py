"""Forms for session packs, with error messages in the GOV.UK style. Views hand the
cleaned data to the services, which validate again and save."""

from __future__ import annotations

from django import forms

from themes.models import Agency

from .models import MAX_DURATION, MIN_DURATION, WRITTEN_KINDS, ItemKind, SessionPack, Visibility


class PackForm(forms.ModelForm):
    audience_agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Agencies the session is for",
    )
    duration_minutes = forms.IntegerField(
        label="How long is the session, in minutes?",
        min_value=MIN_DURATION,
        max_value=MAX_DURATION,
        error_messages={
            "required": "Enter how long the session is, in minutes",
            "invalid": "Duration must be a whole number of minutes, like 30",
            "min_value": f"Duration must be at least {MIN_DURATION} minutes",
            "max_value": f"Duration must be {MAX_DURATION} minutes (8 hours) or less",
        },
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        label="Who can see this pack?",
        error_messages={"required": "Choose who can see this pack"},
    )

    class Meta:
        model = SessionPack
        fields = [
            "title",
            "audience",
            "audience_agencies",
            "duration_minutes",
            "learning_objectives",
            "visibility",
        ]
        labels = {
            "title": "Title",
            "audience": "Who is the session for?",
            "learning_objectives": "Learning objectives",
        }
        error_messages = {
            "title": {
                "required": "Enter a title for the session pack",
                "max_length": "Title must be 200 characters or fewer",
            },
            "audience": {"max_length": "Audience must be 300 characters or fewer"},
        }

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Enter a title for the session pack")
        return title


class ItemNotesForm(forms.Form):
    """The trainer's notes and minutes for one item (and the text, for the kinds the
    trainer writes)."""

    body = forms.CharField(required=False, widget=forms.Textarea, label="Text")
    trainer_notes = forms.CharField(
        required=False, widget=forms.Textarea, label="Your notes for running this part"
    )
    minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_DURATION,
        label="Minutes",
        error_messages={
            "invalid": "Minutes must be a whole number, like 5",
            "min_value": "Minutes must be 1 or more",
            "max_value": f"Minutes must be {MAX_DURATION} or fewer",
        },
    )

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        if item is not None and not item.is_written:
            del self.fields["body"]

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body", "").strip()
        if self.item is not None and self.item.is_written and not body:
            raise forms.ValidationError(f"Enter the {self.item.get_kind_display().lower()}")
        return body


class WrittenItemForm(forms.Form):
    """A note, reflective question or timed activity the trainer adds."""

    kind = forms.ChoiceField(
        choices=[(kind.value, kind.label) for kind in ItemKind if kind in WRITTEN_KINDS],
        widget=forms.RadioSelect,
        label="What do you want to add?",
        error_messages={"required": "Choose what you want to add"},
    )
    body = forms.CharField(
        widget=forms.Textarea,
        label="Text",
        error_messages={"required": "Enter the text of the note, question or activity"},
    )
    minutes = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_DURATION,
        label="Minutes (optional)",
        error_messages={
            "invalid": "Minutes must be a whole number, like 10",
            "min_value": "Minutes must be 1 or more",
            "max_value": f"Minutes must be {MAX_DURATION} or fewer",
        },
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Enter the text of the note, question or activity")
        return body
