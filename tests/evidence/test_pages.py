"""Recording as a trainer (own pack or briefing), the no-personal-data warning on every
free-text field of every form, and good practice: staff review, and only published
examples on the theme page."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from evidence import services
from evidence.forms import NO_PERSONAL_DATA, NO_PERSONAL_DATA_SHORT
from evidence.models import DeliveredSession, FollowUp, ShareStatus, Source
from resources.models import ResourceType
from tests.factories import AgencyFactory, PracticePointFactory, ResourceFactory, ThemeFactory
from tests.roles import EDITOR, PUBLISHER, admin_login, make_role_user
from tests.session_packs.support import make_user

from .support import allow, last_code, old_feedback_token, record_session, shared_pack

pytestmark = pytest.mark.django_db


def free_text_fields_warned(page_html: str, *, short: bool = False) -> list[str]:
    """The names of the visible text inputs and textareas, each checked to be described
    by the no-personal-data warning (``short``: by its short line, in a form that says it
    in full once at the top, and nowhere else)."""
    tree = lxml_html.fromstring(page_html)
    names = []
    for field in tree.xpath("//form//textarea | //form//input[@type='text']"):
        if field.xpath("ancestor::*[@hidden]"):
            continue  # the honeypot
        name = field.get("name")
        if name in {"code", "domain"} or field.get("inputmode") == "numeric":
            continue  # not free text: a number, a code, a domain name
        described = (field.get("aria-describedby") or "").split()
        warnings = [
            tree.get_element_by_id(id_).text_content()
            for id_ in described
            if tree.xpath(f"//*[@id='{id_}']")
        ]
        warning = NO_PERSONAL_DATA_SHORT if short else NO_PERSONAL_DATA
        assert any(warning in text for text in warnings), f"{name} has no warning"
        names.append(name)
    if short:
        assert " ".join(tree.text_content().split()).count(NO_PERSONAL_DATA) == 1
    return names


def record_post(used: str, agency, **extra):
    today = timezone.localdate()
    data = {
        "used": used,
        "delivered_on": (today - datetime.timedelta(days=1)).isoformat(),
        "agency": agency.pk,
        "team": "Duty team",
        "attendees": "6",
        "attendee_roles": "social workers",
        "format": "supervision",
        "discussion": "The briefing's questions.",
        "follow_up_on": (today + datetime.timedelta(days=30)).isoformat(),
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "10",
        "actions-0-action": "Ask about fathers",
        "actions-0-owner_role": "Health visitors",
        "actions-0-due_on": today.isoformat(),
        "actions-1-action": "",
        "actions-1-owner_role": "",
        "actions-1-due_on": "",
    }
    data.update(extra)
    return data


def test_a_trainer_records_a_session_with_a_briefing(client):
    trainer = make_user("evtrainer")
    client.force_login(trainer)
    theme = ThemeFactory()
    briefing = ResourceFactory(resource_type=ResourceType.SEVEN_MINUTE_BRIEFING)
    briefing.themes.set([theme])
    page = client.get(reverse("evidence:record"))
    assert f"briefing:{briefing.pk}" in page.content.decode()
    response = client.post(
        reverse("evidence:record"),
        record_post(f"briefing:{briefing.pk}", AgencyFactory(), follow_up_requested="on"),
    )
    assert response.status_code == 302
    session = DeliveredSession.objects.get()
    assert session.source == Source.BRIEFING and session.briefing == briefing
    assert session.recorded_by == trainer and session.contact_email == trainer.email
    assert list(session.themes.all()) == [theme]
    assert FollowUp.objects.filter(session=session).exists()


def test_a_trainer_cannot_record_with_another_trainers_pack(client):
    other_pack = shared_pack(owner=make_user("evother"))
    client.force_login(make_user("evtrainer2"))
    response = client.post(
        reverse("evidence:record"), record_post(f"pack:{other_pack.pk}", AgencyFactory())
    )
    assert response.status_code == 400 and not DeliveredSession.objects.exists()


def test_record_form_errors_save_nothing(client):
    trainer = make_user("evtrainer3")
    client.force_login(trainer)
    pack = shared_pack(owner=trainer)
    data = record_post(f"pack:{pack.pk}", AgencyFactory())
    data.update(
        {
            "actions-0-action": "",
            "actions-0-owner_role": "",
            "actions-0-due_on": "",
            "attendees": "0",
        }
    )
    data["delivered_on"] = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("evidence:record"), data)
    text = response.content.decode()
    assert response.status_code == 400
    assert "Give at least one thing the team agreed to do differently" in text
    assert "today or in the past" in text and "There is a problem" in text
    assert not DeliveredSession.objects.exists()
    # "Add another action" shows one more row, keeps what was typed, and saves nothing.
    data = record_post(f"pack:{pack.pk}", AgencyFactory(), add_action="1", team="Kept team")
    response = client.post(reverse("evidence:record"), data)
    assert response.status_code == 200 and 'name="actions-2-action"' in response.content.decode()
    assert (
        "Kept team" in response.content.decode()
        and "There is a problem" not in response.content.decode()
    )


def test_every_free_text_field_carries_the_personal_data_warning(client):
    # The trainer's record form.
    trainer = make_user("evwarn")
    client.force_login(trainer)
    record_page = client.get(reverse("evidence:record")).content.decode()
    names = free_text_fields_warned(record_page, short=True)
    assert {
        "team",
        "attendee_roles",
        "discussion",
        "actions-0-action",
        "actions-0-owner_role",
    } <= set(names)
    client.logout()
    # The shared link's record form.
    allow()
    pack = shared_pack(owner=trainer)
    anonymous = Client()
    anonymous.post(
        reverse("evidence:shared_start", args=[pack.share_token]), {"email": "a@council.gov.uk"}
    )
    anonymous.post(reverse("evidence:shared_code", args=[pack.share_token]), {"code": last_code()})
    shared_page = anonymous.get(reverse("evidence:shared_record", args=[pack.share_token]))
    assert set(free_text_fields_warned(shared_page.content.decode(), short=True)) >= {
        "team",
        "discussion",
    }
    # The follow-up form.
    session = record_session(email="a@council.gov.uk")
    follow_up_page = Client().get(
        f"/evidence/follow-up/{services.follow_up_token(session.follow_up)}/"
    )
    assert set(free_text_fields_warned(follow_up_page.content.decode(), short=True)) == {
        "what_changed",
        "example",
    }
    # Feedback on a point page, and its error page.
    point = PracticePointFactory()
    assert free_text_fields_warned(Client().get(point.get_absolute_url()).content.decode()) == [
        "differently"
    ]
    error_page = Client().post(
        "/evidence/feedback/", {"token": old_feedback_token(point), "differently": "x"}
    )
    assert free_text_fields_warned(error_page.content.decode()) == ["differently"]


def answered_follow_up(theme, *, share=True, agency=None):
    session = record_session(themes=[theme], agency=agency, email="lead@council.gov.uk")
    data = {
        "what_changed": "More curiosity",
        "example": "A worker asked about a new adult at home.",
        "confidence_before": "2",
        "confidence_now": "4",
        "share": "yes" if share else "no",
    }
    return services.follow_up_answer(
        session.follow_up, data, {a.pk: "done" for a in session.actions.all()}
    )


def test_good_practice_is_reviewed_and_only_published_examples_show_on_the_theme(client):
    theme = ThemeFactory(name="Curiosity good practice")
    agency = AgencyFactory(name="Good practice agency")
    waiting = answered_follow_up(theme, agency=agency)
    assert waiting.share_status == ShareStatus.WAITING
    page = Client().get(theme.get_absolute_url()).content.decode()
    assert "What teams did" not in page and "new adult at home" not in page  # never a draft
    # An Editor sees the queue but cannot publish.
    admin_login(client, make_role_user("evgpeditor", EDITOR))
    assert (
        "new adult at home" in client.get(reverse("evidence_staff:good_practice")).content.decode()
    )
    url = reverse("evidence_staff:good_practice_review", args=[waiting.pk])
    refused = client.post(url, {"decision": "publish", "shared_text": "Edited"})
    assert refused.status_code == 403
    waiting.refresh_from_db()
    assert waiting.share_status == ShareStatus.WAITING
    # A Publisher edits the text and publishes it.
    publisher = Client()
    admin_login(publisher, make_role_user("evgppublisher", PUBLISHER))
    response = publisher.post(
        url,
        {"decision": "publish", "shared_text": "A worker asked about an adult they had not met."},
    )
    assert response.status_code == 302
    page = Client().get(theme.get_absolute_url()).content.decode()
    month = waiting.session.delivered_on.strftime("%B %Y")
    assert "What teams did" in page and "an adult they had not met" in page
    assert f"Good practice agency, {month}" in page and "new adult at home" not in page
    # Unpublished: gone from the page.
    publisher.post(url, {"decision": "decline", "shared_text": "x"})
    assert "What teams did" not in Client().get(theme.get_absolute_url()).content.decode()


def test_an_example_not_offered_never_reaches_the_queue_or_the_page(client):
    theme = ThemeFactory()
    follow_up = answered_follow_up(theme, share=False)
    assert follow_up.share_status == ShareStatus.NOT_OFFERED
    admin_login(client, make_role_user("evgp2", PUBLISHER))
    url = reverse("evidence_staff:good_practice_review", args=[follow_up.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "publish", "shared_text": "x"}).status_code == 404


def test_the_pack_page_links_to_recording():
    trainer = make_user("evlink")
    pack = shared_pack(owner=trainer)
    client = Client()
    client.force_login(trainer)
    assert (
        f"/evidence/record/?used=pack:{pack.pk}"
        in client.get(pack.get_absolute_url()).content.decode()
    )
    shared = Client().get(pack.get_shared_url()).content.decode()
    assert f"/evidence/shared/{pack.share_token}/" in shared
    assert 'href="/evidence/record/"' in client.get("/packs/").content.decode()


def test_demo_data_is_idempotent_and_removable():
    from evidence.demo import demo_data_generate, demo_data_remove

    first = demo_data_generate(seed=1)
    count = DeliveredSession.objects.filter(is_demo=True).count()
    assert "demo" in first and count > 0
    demo_data_generate(seed=1)
    assert DeliveredSession.objects.filter(is_demo=True).count() == count
    assert not FollowUp.objects.filter(
        session__is_demo=True, session__follow_up_requested=True
    ).exists()
    demo_data_remove()
    assert not DeliveredSession.objects.filter(is_demo=True).exists()


def test_demo_good_practice_waits_for_review_and_never_reaches_a_theme_page(seed, client):
    from evidence.demo import demo_data_generate, demo_data_remove
    from themes.models import Theme

    demo_data_generate(seed=4)
    shared = list(
        FollowUp.objects.filter(session__is_demo=True)
        .exclude(share_status=ShareStatus.NOT_OFFERED)
        .select_related("session__agency")
        .prefetch_related("session__themes")
    )
    assert len(shared) >= 4
    assert all(f.share_status == ShareStatus.WAITING for f in shared)  # never published
    # Each example once, so no theme lists one twice.
    assert len({f.shared_text for f in shared}) == len(shared)
    # The agency fits the words of the example (read from the text here).
    fits = {
        "social worker": "childrens-social-care",
        "designated safeguarding lead": "education",
        "early help practitioner": "early-help",
        "Health visitors": "health-visiting",
        "Officers": "police",
        "midwife": "midwifery",
    }
    for follow_up in shared:
        slug = next(v for k, v in fits.items() if k in follow_up.shared_text)
        assert follow_up.session.agency.slug == slug, follow_up.shared_text
    # No public theme page shows a demo example ...
    theme_ids = {t.pk for f in shared for t in f.session.themes.all()}
    for theme in Theme.objects.public().filter(pk__in=theme_ids):
        page = Client().get(theme.get_absolute_url()).content.decode()
        assert "Demo example" not in page and "What teams did" not in page, theme.name
    # ... and the staff review queue holds every one of them, waiting.
    admin_login(client, make_role_user("evdemoqueue", PUBLISHER))
    queue = lxml_html.fromstring(client.get(reverse("evidence_staff:good_practice")).content)
    waiting_table = queue.xpath("//h2[starts-with(normalize-space(), 'Waiting')]")[0]
    assert waiting_table.text_content().strip() == f"Waiting for review ({len(shared)})"
    links = " ".join(a.text_content() for a in queue.xpath("//table//a"))
    for follow_up in shared:
        assert follow_up.shared_text[:60] in links
    demo_data_remove()
