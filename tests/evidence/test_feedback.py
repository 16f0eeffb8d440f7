"""'Was this useful?' on point and theme pages: anonymous, no cookies, no script,
rate-limited per client address (never stored), spam-resistant without third parties."""

import pytest
from django.test import Client
from django.urls import reverse

from content.models import Status
from evidence.models import Feedback
from evidence.views import feedback_token
from tests.factories import PracticePointFactory, ThemeFactory
from tests.roles import EDITOR, admin_login, make_role_user

from .support import old_feedback_token

pytestmark = pytest.mark.django_db
URL = "/evidence/feedback/"


@pytest.fixture
def point():
    return PracticePointFactory()


def post(client, target, token=None, **data):
    payload = {"token": token or old_feedback_token(target), "useful": "yes", "differently": ""}
    payload.update(data)
    return client.post(URL, payload, REMOTE_ADDR=data.pop("addr", "203.0.113.7"))


def test_the_point_and_theme_pages_carry_the_form_without_a_cookie(point):
    client = Client()
    theme = ThemeFactory()
    for url in (point.get_absolute_url(), theme.get_absolute_url()):
        response = client.get(url)
        html = response.content.decode()
        assert 'action="/evidence/feedback/"' in html and 'name="token"' in html
        assert "csrfmiddlewaretoken" not in html and not response.cookies
        assert "Do not enter personal data" in html


def test_feedback_is_saved_without_cookies_or_csrf_and_keeps_no_address(point):
    client = Client(enforce_csrf_checks=True)
    response = post(client, point, differently="Ask about other adults at home.")
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert not response.cookies
    feedback = Feedback.objects.get()
    assert feedback.practice_point == point and feedback.useful
    stored = " ".join(str(getattr(feedback, f.attname)) for f in Feedback._meta.concrete_fields)
    assert "203.0.113.7" not in stored
    names = {f.name for f in Feedback._meta.get_fields()}
    assert not names & {"ip", "ip_address", "address", "client", "user_agent", "session"}


def test_feedback_is_rate_limited_per_client_address(point, settings):
    settings.EVIDENCE_FEEDBACK_LIMIT = 3
    client = Client()
    for seconds in (30, 40, 50):
        assert post(client, point, token=old_feedback_token(point, seconds)).status_code == 200
    limited = post(client, point)
    assert limited.status_code == 429 and limited["Retry-After"]
    assert Feedback.objects.count() == 3
    # Another client address still may.
    assert (
        post(client, point, token=old_feedback_token(point, 60), addr="198.51.100.2").status_code
        == 200
    )
    assert Feedback.objects.count() == 4


def test_a_forged_x_forwarded_for_gets_no_fresh_allowance(point, settings):
    settings.EVIDENCE_FEEDBACK_LIMIT = 1
    client = Client()
    assert post(client, point).status_code == 200
    response = client.post(
        URL,
        {"token": old_feedback_token(point), "useful": "no"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


def test_the_honeypot_saves_nothing(point):
    response = post(Client(), point, website="http://spam.example")
    assert response.status_code == 200 and not Feedback.objects.exists()


def test_a_post_made_at_once_is_refused(point):
    response = post(Client(), point, token=feedback_token(point))
    assert response.status_code == 400 and not Feedback.objects.exists()
    assert "quicker than we expected" in response.content.decode()


def test_a_token_is_used_once_per_client(point):
    """A cached page gives everyone the same token: one answer per client address."""
    client = Client()
    token = old_feedback_token(point)
    assert post(client, point, token=token).status_code == 200
    again = post(client, point, token=token)
    assert "We had your answer already" in again.content.decode()
    assert Feedback.objects.count() == 1
    assert post(client, point, token=token, addr="198.51.100.9").status_code == 200
    assert Feedback.objects.count() == 2


@pytest.mark.parametrize("token", ["", "point:1", "nonsense:abc:def"])
def test_a_forged_token_is_refused(point, token):
    response = Client().post(URL, {"token": token, "useful": "yes"})
    assert response.status_code == 400 and not Feedback.objects.exists()


def test_a_draft_point_takes_no_feedback(point):
    token = old_feedback_token(point)
    point.status = Status.DRAFT
    point.save()
    assert post(Client(), point, token=token).status_code == 400
    assert not Feedback.objects.exists()


def test_too_long_an_answer_gets_the_form_back_with_the_warning(point):
    response = post(Client(), point, differently="x" * 501)
    html = response.content.decode()
    assert response.status_code == 400 and "500 characters" in html
    assert "Do not enter personal data" in html and not Feedback.objects.exists()


def test_get_is_refused():
    assert Client().get(URL).status_code == 405


def test_staff_hide_an_answer(point, client):
    post(Client(), point, differently="A name was written here")
    feedback = Feedback.objects.get()
    editor = make_role_user("evhider", EDITOR)
    admin_login(client, editor)
    page = client.get(reverse("evidence_staff:feedback"))
    assert "A name was written here" in page.content.decode()
    response = client.post(reverse("evidence_staff:feedback_hide", args=[feedback.pk]))
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.hidden and feedback.hidden_by == editor
    assert (
        "A name was written here"
        not in client.get(reverse("evidence_staff:feedback")).content.decode()
    )


def test_each_hide_and_show_button_has_its_own_name(client):
    from lxml import html as lxml_html

    points = [PracticePointFactory(headline=f"Point about curiosity {n}") for n in (1, 2)]
    theme = ThemeFactory(name="Neglect in the early years")
    answers = [
        Feedback.objects.create(practice_point=points[0], useful=True, differently="Ask more"),
        Feedback.objects.create(practice_point=points[1], useful=True, differently="Ask more"),
        Feedback.objects.create(theme=theme, useful=False, differently="Ask more"),
        Feedback.objects.create(theme=theme, useful=True, differently="Tell my team", hidden=True),
    ]
    admin_login(client, make_role_user("evbuttons", EDITOR))
    tree = lxml_html.fromstring(client.get(reverse("evidence_staff:feedback")).content)
    names = [" ".join(b.text_content().split()) for b in tree.xpath("//table//button")]
    assert len(names) == len(answers) and len(set(names)) == len(names), names
    assert all(n.startswith(("Hide answer", "Show hidden answer")) for n in names), names
    assert sum("Point about curiosity 1" in n for n in names) == 1
    assert sum("Point about curiosity 2" in n for n in names) == 1
    assert sum(theme.name in n for n in names) == 2
    assert sum(n.startswith("Show hidden answer") for n in names) == 1
