"""Alert emails: plain text and HTML (Django templates, autoescaped), through Django's
email backend (SMTP in production: DJANGO_EMAIL_*). Every one carries RFC 8058 one-click
unsubscribe headers (``List-Unsubscribe`` with the HTTPS link, ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``) and a link to manage all of the address's subscriptions."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .searches import describe_search, finder_url
from .tokens import (
    confirm_url,
    manage_url,
    site_url,
    unsubscribe_all_url,
    unsubscribe_url,
)


def _site() -> dict:
    return {
        "site_name": getattr(settings, "SITE_NAME", "Learning from Reviews Toolkit"),
        "partnership_name": getattr(settings, "PARTNERSHIP_NAME", ""),
        "privacy_url": site_url("/privacy/"),
    }


def build_message(
    *, to: str, subject: str, template: str, context: dict, unsubscribe: str
) -> EmailMultiAlternatives:
    context = {**_site(), **context, "unsubscribe_url": unsubscribe}
    text = render_to_string(f"alerts/email/{template}.txt", context)
    html = render_to_string(f"alerts/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(subscription) -> EmailMultiAlternatives:
    return build_message(
        to=subscription.subscriber.email,
        subject="Confirm your email alerts",
        template="confirm",
        context={
            "subscription": subscription,
            "search": describe_search(subscription.query),
            "search_url": site_url(finder_url(subscription.query)),
            "confirm_url": confirm_url(subscription),
            "manage_url": manage_url(subscription.subscriber),
            "frequency": subscription.get_frequency_display().lower(),
        },
        unsubscribe=unsubscribe_url(subscription),
    )


def send_confirmation(subscription) -> None:
    confirmation_message(subscription).send()


def digest_message(subscription, changes) -> EmailMultiAlternatives:
    items = []
    for change in changes:
        item = getattr(change, "public_item", None) or change.item
        items.append(
            {
                "title": str(item),
                "url": site_url(item.get_absolute_url()),
                "note": change.note,
                "date": change.created_at,
                "kind": item._meta.verbose_name,
            }
        )
    count = len(items)
    return build_message(
        to=subscription.subscriber.email,
        subject=f"{count} update{'s' if count != 1 else ''}: {describe_search(subscription.query)}",
        template="digest",
        context={
            "items": items,
            "search": describe_search(subscription.query),
            "search_url": site_url(finder_url(subscription.query)),
            "manage_url": manage_url(subscription.subscriber),
            "frequency": subscription.get_frequency_display().lower(),
        },
        unsubscribe=unsubscribe_url(subscription),
    )


def send_digest(subscription, changes, *, connection=None) -> None:
    message = digest_message(subscription, changes)
    if connection is not None:
        message.connection = connection
    message.send()


def manage_message(subscriber) -> EmailMultiAlternatives:
    return build_message(
        to=subscriber.email,
        subject="Manage your email alerts",
        template="manage",
        context={"manage_url": manage_url(subscriber)},
        unsubscribe=unsubscribe_all_url(subscriber),
    )


def send_manage_link(subscriber) -> None:
    manage_message(subscriber).send()
