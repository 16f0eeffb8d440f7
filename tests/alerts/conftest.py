"""Alerts tests: a real SMTP server (aiosmtpd) started by the test, content to publish,
and helpers to publish through the workflow's one path."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from django.core import mail

from backoffice.workflow import content_set_status
from tests.factories import AgencyFactory, PracticePointFactory, ReviewFactory, ThemeFactory
from tests.roles import PUBLISHER, make_role_user


def _free_port(first: int = 8161, last: int = 8169) -> int:
    for port in range(first, last + 1):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port in 8161-8169 for the test SMTP server")


class Inbox:
    """Messages the SMTP server accepted, parsed."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [
            email.message_from_bytes(e.original_content or e.content, policy=email.policy.default)
            for e in self.envelopes
        ]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (one of this helper's ports); Django sends to it
    through its SMTP backend."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def alerts_world(db, settings):
    settings.ALERTS_SITE_URL = "https://learning.example.org.uk"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    theme = ThemeFactory(name="Alerts theme", slug="alerts-theme")
    other_theme = ThemeFactory(name="Other alerts theme", slug="other-alerts-theme")
    agency = AgencyFactory(name="Alerts agency", slug="alerts-agency")
    review = ReviewFactory(title="Child Alerts", slug="child-alerts")
    publisher = make_role_user("alertspublisher", PUBLISHER)
    mail.outbox = []
    return {
        "theme": theme,
        "other_theme": other_theme,
        "agency": agency,
        "review": review,
        "publisher": publisher,
    }


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish ``obj`` (a draft) or a change to it through the workflow, running what
    waits for the commit (the ``content_published`` signal)."""
    from backoffice.workflow import content_publish_change

    def run(obj, user, *, major=True, note="New learning added."):
        with django_capture_on_commit_callbacks(execute=True):
            if obj.status == "published":
                content_publish_change(obj, user=user, major=major, change_note=note)
            else:
                content_set_status(obj, "published", user=user, major=major, change_note=note)
        return obj

    return run


def draft_point(world, text="Practitioners did not see the child alone at home visits.", **kw):
    kw.setdefault("themes", [world["theme"]])
    kw.setdefault("review", world["review"])
    return PracticePointFactory(text=text, status="draft", **kw)
