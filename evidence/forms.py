"""Forms of evidence of use. Every free-text field carries ``NO_PERSONAL_DATA`` (the
templates show it as a warning tied to the field by aria-describedby). A form that says
it in full at the top (record a session, the follow-up) gives each box the short line
``NO_PERSONAL_DATA_SHORT`` instead, so the warning is not read eight times over."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone

from resources.models import Resource, ResourceType
from session_packs.models import SessionPack
from themes.models import Agency

from .models import (
    FOLLOW_UP_WEEKS,
    MAX_ATTENDEES,
    AgreedAction,
    SessionFormat,
    briefing_label,
    default_follow_up,
)
from .services import email_domain_allowed

NO_PERSONAL_DATA = (
    "Do not enter personal data: no names, initials, ages, addresses or anything else "
    "that could identify a child, a family member or a member of staff."
)
NO_PERSONAL_DATA_SHORT = "No personal data: nothing that could identify anyone."
MAX_ACTIONS = 10
CONFIDENCE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class FreeText(forms.CharField):
    """A free-text field: marked so the template shows the no-personal-data warning."""

    no_personal_data = True

    def __init__(self, *args, textarea: bool = False, rows: int = 4, **kwargs):
        if textarea:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(*args, **kwargs)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionForm(forms.Form):
    """The session itself (what was used is chosen by the view or, for a trainer, here)."""

    used = forms.ChoiceField(
        label="What did you use?",
        help_text="One of your session packs, or a 7-minute briefing from the toolkit.",
    )
    delivered_on = forms.DateField(label="Date of the session", widget=_date_widget())
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), empty_label="Choose the agency"
    )
    team = FreeText(
        label="Team", max_length=200, help_text="e.g. Children's social care, north locality team."
    )
    attendees = forms.IntegerField(
        label="How many attended", min_value=1, max_value=MAX_ATTENDEES, widget=forms.NumberInput
    )
    attendee_roles = FreeText(
        label="Their roles",
        max_length=300,
        help_text="e.g. social workers, a team manager, a family support worker.",
    )
    format = forms.ChoiceField(
        label="Format", choices=SessionFormat.choices, widget=forms.RadioSelect
    )
    discussion = FreeText(
        label="What was discussed",
        max_length=2000,
        textarea=True,
        help_text="The points and questions the team talked about (up to 2,000 characters).",
    )
    follow_up_on = forms.DateField(
        label="Follow-up date",
        required=False,
        widget=_date_widget(),
        help_text=f"When to look back at the actions. Leave empty for {FOLLOW_UP_WEEKS} weeks "
        "after the session.",
    )
    follow_up_requested = forms.BooleanField(
        label="Email me a short follow-up form on the follow-up date",
        required=False,
        help_text="One email, and one reminder if it is not answered. Nothing is sent "
        "unless you tick this.",
    )

    def __init__(self, *args, used_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.order_by("name")
        if used_choices is None:
            del self.fields["used"]
        else:
            self.fields["used"].choices = [("", "Choose a pack or briefing"), *used_choices]

    def clean_delivered_on(self):
        value = self.cleaned_data["delivered_on"]
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError("The date of the session must be today or in the past.")
        if value < today - datetime.timedelta(days=366):
            raise forms.ValidationError("Record sessions from the last year only.")
        return value

    def clean(self):
        data = super().clean()
        delivered = data.get("delivered_on")
        if delivered:
            follow_up = data.get("follow_up_on") or default_follow_up(delivered)
            if follow_up <= delivered:
                self.add_error("follow_up_on", "The follow-up date must be after the session.")
            elif follow_up > delivered + datetime.timedelta(days=366):
                self.add_error("follow_up_on", "The follow-up date must be within a year.")
            else:
                data["follow_up_on"] = follow_up
        return data


def used_choices_for(user) -> list[tuple[str, str]]:
    """A trainer's own packs and the public 7-minute briefings, as the 'used' choices."""
    packs = [
        (f"pack:{pack.pk}", f"Pack: {pack.title}")
        for pack in SessionPack.objects.owned_by(user).order_by("title")
    ]
    briefings = [
        (f"briefing:{resource.pk}", briefing_label(resource.title))
        for resource in Resource.objects.public()
        .filter(resource_type=ResourceType.SEVEN_MINUTE_BRIEFING)
        .order_by("title")
    ]
    return packs + briefings


class ActionForm(forms.Form):
    action = FreeText(
        label="What the team will do differently",
        max_length=500,
        textarea=True,
        rows=2,
        required=False,
    )
    owner_role = FreeText(
        label="Whose action it is (a role, not a name)",
        max_length=120,
        required=False,
        help_text="e.g. Team manager",
    )
    due_on = forms.DateField(label="By when", required=False, widget=_date_widget())

    def clean(self):
        data = super().clean()
        filled = [name for name in ("action", "owner_role", "due_on") if data.get(name)]
        if filled and len(filled) < 3:
            for name in ("action", "owner_role", "due_on"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Give the action, whose it is and by when.")
        return data

    @property
    def is_filled(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("action"))


class BaseActionFormSet(BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not any(form.is_filled for form in self.forms):
            raise forms.ValidationError(
                "Give at least one thing the team agreed to do differently."
            )

    def actions(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.is_filled]


ActionFormSet = formset_factory(
    ActionForm, formset=BaseActionFormSet, extra=2, max_num=MAX_ACTIONS, validate_max=True
)


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="Your work email address",
        max_length=254,
        help_text="We will email a code to it. Only work addresses of the partnership’s "
        "agencies are accepted.",
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if not email_domain_allowed(email):
            raise forms.ValidationError(
                "Use your work email address: this address’s organisation is not on the "
                "partnership’s list. Ask the partnership to add it."
            )
        return email


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=12,
        help_text="The 6-digit code in the email we sent you.",
    )

    def clean_code(self):
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("Enter the 6-digit code from the email.")
        return code


class FollowUpForm(forms.Form):
    what_changed = FreeText(
        label="What changed in practice?",
        max_length=2000,
        textarea=True,
        required=False,
    )
    example = FreeText(
        label="An example (anonymised)",
        max_length=2000,
        textarea=True,
        required=False,
        help_text="What a practitioner did differently, in general terms.",
    )
    confidence_before = forms.ChoiceField(
        label="Before the session, how confident was the team in this area?",
        choices=CONFIDENCE_CHOICES,
        widget=forms.RadioSelect,
        help_text="1 is not at all confident, 5 is very confident.",
    )
    confidence_now = forms.ChoiceField(
        label="How confident is the team now?",
        choices=CONFIDENCE_CHOICES,
        widget=forms.RadioSelect,
        help_text="1 is not at all confident, 5 is very confident.",
    )
    share = forms.ChoiceField(
        label="Should this be shared as good practice?",
        choices=[("yes", "Yes, staff may publish the example on the theme’s page"), ("no", "No")],
        widget=forms.RadioSelect,
        help_text="Staff read it first and take out anything that could identify anyone. "
        "It is shown with the agency and month only.",
    )

    def __init__(self, *args, actions: list[AgreedAction], **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = actions
        outcome_fields = {}
        for action in actions:
            outcome_fields[f"action_{action.pk}"] = forms.ChoiceField(
                label=f"{action.action} ({action.owner_role}, by {action.due_on:%-d %B %Y})",
                choices=AgreedAction.Outcome.choices,
                widget=forms.RadioSelect,
            )
        self.fields = {**outcome_fields, **self.fields}

    def action_fields(self):
        return [self[name] for name in self.fields if name.startswith("action_")]

    def other_fields(self):
        return [self[name] for name in self.fields if not name.startswith("action_")]

    def clean(self):
        data = super().clean()
        if data.get("share") == "yes" and not (data.get("example") or "").strip():
            self.add_error("example", "Give an example to share, or choose No.")
        return data

    def outcomes(self) -> dict[int, str]:
        return {action.pk: self.cleaned_data[f"action_{action.pk}"] for action in self.actions}


class FeedbackForm(forms.Form):
    """The feedback on a point or theme page: posted without cookies (see views.feedback)."""

    token = forms.CharField(widget=forms.HiddenInput)
    useful = forms.ChoiceField(
        label="Was this useful?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no."},
    )
    differently = FreeText(
        label="Will you do anything differently? (optional)",
        max_length=500,
        textarea=True,
        rows=3,
        required=False,
        help_text="Up to 500 characters.",
    )
    # The honeypot: hidden from people (and screen readers); bots fill it.
    website = forms.CharField(required=False, label="Leave this empty")


class AllowedDomainForm(forms.Form):
    domain = forms.CharField(
        label="Email domain",
        max_length=253,
        help_text="The part after @, e.g. hampshire.gov.uk. Its subdomains are accepted too.",
    )

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower().lstrip("@").rstrip(".")
        if not re.fullmatch(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", domain):
            raise forms.ValidationError("Enter a domain like hampshire.gov.uk.")
        return domain


class GoodPracticeForm(forms.Form):
    shared_text = FreeText(
        label="Text to publish",
        max_length=2000,
        textarea=True,
        rows=6,
        help_text="Edit out anything that could identify a child, family or member of staff "
        "before publishing. It is shown with the agency and month only.",
    )
