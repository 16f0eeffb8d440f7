"""The assurance pages' forms (GOV.UK markup comes from the templates)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from themes.models import Agency, Theme

from .evidence_files import allowed_list, max_bytes
from .models import UPDATE_STATUSES, ActionStatus, EvidenceKind, Scope

# The longest text any box takes (a challenge's limit): a pasted document is refused, with
# the count, not kept.
TEXT_MAX = 5000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class Form(forms.Form):
    """GOV.UK-style messages for empty fields ("Enter the due date", "Choose the status"),
    and dates shown as the browser's date input reads them (YYYY-MM-DD)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = (field.label or name.replace("_", " ")).split(" (")[0]
            label = label[0].lower() + label[1:] if not label[:2].isupper() else label
            choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            field.error_messages["required"] = f"{'Choose' if choose else 'Enter'} {label}"
            if isinstance(field, forms.FileField):
                field.error_messages["required"] = f"Choose {label} to upload"
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = f"Enter {label} as a real date"
                value = self.initial.get(name, field.initial)
                value = value() if callable(value) else value
                if hasattr(value, "isoformat"):
                    self.initial[name] = value.isoformat()


class RecommendationForm(Form):
    number = forms.IntegerField(min_value=1, max_value=999, label="Number")
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX, label="Recommendation"
    )
    scope = forms.ChoiceField(choices=Scope.choices, widget=forms.RadioSelect)
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Addressed to",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    accepted = forms.TypedChoiceField(
        choices=(("yes", "Accepted"), ("no", "Not accepted")),
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label="Response",
    )
    response_reason = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why it was not accepted",
        help_text="Needed when it is not accepted.",
    )
    adopted_locally = forms.BooleanField(
        required=False, label="A national recommendation the partnership has adopted"
    )
    adopted_on = forms.DateField(required=False, widget=DateInput, label="Adopted on")

    def clean(self):
        data = super().clean()
        if data.get("accepted") is False and not (data.get("response_reason") or "").strip():
            self.add_error("response_reason", "Give the reason it was not accepted.")
        if data.get("adopted_locally") and data.get("scope") != Scope.NATIONAL:
            self.add_error("adopted_locally", "Only a national recommendation can be adopted.")
        return data


class ActionForm(Form):
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX, label="What will be done"
    )
    owner_agency = forms.ModelChoiceField(queryset=Agency.objects.all(), label="Owner agency")
    lead_role = forms.CharField(
        max_length=200, label="Lead (a role)", help_text="For example, designated nurse."
    )
    due_date = forms.DateField(widget=DateInput, label="Due date")
    reaudit_date = forms.DateField(
        required=False,
        widget=DateInput,
        label="Re-audit date (optional)",
        help_text="When to check the change has lasted.",
    )
    public_summary = forms.CharField(
        required=False,
        max_length=200,
        label="Public summary (optional)",
        help_text="One line the public may read on the review page, if it shows ‘What we did’.",
    )

    def clean(self):
        data = super().clean()
        due, reaudit = data.get("due_date"), data.get("reaudit_date")
        if due and reaudit and reaudit < due:
            self.add_error("reaudit_date", "The re-audit date must be on or after the due date.")
        return data


class ProgressForm(Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in UPDATE_STATUSES], widget=forms.RadioSelect
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX, label="Progress made"
    )
    date = forms.DateField(widget=DateInput, label="Date of the update", initial=timezone.localdate)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return date


class RevisedDueForm(Form):
    new_due = forms.DateField(widget=DateInput, label="New due date")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX, label="Reason for the change"
    )


class EvidenceForm(Form):
    kind = forms.ChoiceField(choices=EvidenceKind.choices, widget=forms.RadioSelect, label="Kind")
    date = forms.DateField(widget=DateInput, initial=timezone.localdate)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX)
    link = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Link (optional)",
        help_text="A link to where the evidence is kept, or attach a file below.",
    )
    file = forms.FileField(
        required=False,
        label="File (optional)",
        help_text=f"{allowed_list()}; up to {max_bytes() // (1024 * 1024)} MB.",
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return date

    def clean_link(self):
        link = self.cleaned_data["link"]
        if link and not link.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter a web address starting with https://.")
        return link

    def clean(self):
        data = super().clean()
        if not data.get("link") and not data.get("file") and not self.errors:
            self.add_error("link", "Give a link to the evidence or attach a file.")
        return data


class TextForm(Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ReasonForm(Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReviewPlanForm(Form):
    started_on = forms.DateField(required=False, widget=DateInput, label="Review started on")
    show_what_we_did = forms.BooleanField(
        required=False,
        label="Show ‘What we did’ on the public review page",
        help_text="Each accepted recommendation with its actions' status and public summary. "
        "Nothing else (no agencies' names, progress notes, evidence or challenges).",
    )


class ImportForm(Form):
    file = forms.FileField(label="CSV file")


STATUS_CHOICES = ActionStatus.choices
