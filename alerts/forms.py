from __future__ import annotations

from django import forms

from .models import Frequency


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    frequency = forms.ChoiceField(
        label="How often do you want to get emails?",
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often to get emails"},
    )


class ManageLinkForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=Frequency.choices, widget=forms.RadioSelect)
