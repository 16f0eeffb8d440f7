"""CSV import of recommendations and actions: preview, all or nothing, again changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assurance.models import Action, PlanImport, Recommendation

pytestmark = pytest.mark.django_db

HEADER = (
    "review_slug,recommendation_number,recommendation,scope,addressed_to,themes,accepted,"
    "response_reason,action,owner_agency,lead_role,due_date,reaudit_date,public_summary\n"
)


def good(aw) -> str:
    return HEADER + (
        f"child-a-q,2,Schools join strategy discussions.,multi-agency,a Police; a-health,"
        f"{aw['theme'].slug},yes,,Invite DSLs,a Police,DI,2027-01-31,2027-06-30,Schools invited\n"
        f"child-a-q,2,Schools join strategy discussions.,multi-agency,,,yes,,Brief DSLs,"
        f"a-health,Named nurse,2027-02-28,,\n"
        f"child-a-q,3,'=Not a formula,national,,,no,Already done nationally,,,,,,\n"
    )


def upload(client, text: str, name="plan.csv"):
    return client.post(
        reverse("assurance:import"), {"file": SimpleUploadedFile(name, text.encode())}
    )


def test_preview_then_import_then_again_changes_nothing(aw):
    client = aw["clients"]["assurance_lead"]
    response = upload(client, good(aw))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert b"2 new recommendations, 2 new actions" in preview.content
    assert Recommendation.objects.count() == 1  # nothing saved by the preview
    response = client.post(response["Location"])
    assert response.status_code == 302
    rec2 = Recommendation.objects.get(review=aw["a_review"], number=2)
    assert rec2.actions.count() == 2
    assert set(rec2.agencies.values_list("slug", flat=True)) == {"a-police", "a-health"}
    rec3 = Recommendation.objects.get(review=aw["a_review"], number=3)
    assert rec3.text == "=Not a formula" and rec3.accepted is False
    counts = (Recommendation.objects.count(), Action.objects.count())
    # the same file again
    response = upload(client, good(aw))
    preview = client.get(response["Location"])
    assert b"0 new recommendations, 0 new actions" in preview.content
    client.post(response["Location"])
    assert (Recommendation.objects.count(), Action.objects.count()) == counts


def test_a_file_with_problems_shows_every_problem_and_saves_nothing(aw):
    client = aw["clients"]["assurance_lead"]
    text = good(aw) + ("no-such-review,1,x,sideways,Nobody,,maybe,,Do it,Nobody,,31/01/2027,,\n")
    response = upload(client, text)
    preview = client.get(response["Location"])
    html = preview.content.decode()
    for problem in (
        "No review has the slug",
        "scope “sideways”",
        "No agency is called “Nobody” (addressed_to)",
        "accepted must be yes or no",
        "lead_role is empty",
        "not a date written YYYY-MM-DD",
    ):
        assert problem in html, problem
    assert "Confirm the import" not in html
    # a forced confirm: nothing saved
    client.post(response["Location"])
    assert Recommendation.objects.count() == 1
    assert PlanImport.objects.filter(state="imported").count() == 0


def test_an_unreadable_file_is_a_message_not_an_error(aw):
    client = aw["clients"]["assurance_lead"]
    response = client.post(
        reverse("assurance:import"), {"file": SimpleUploadedFile("p.csv", b"\xff\xfe\x00bin")}
    )
    assert response.status_code == 400
    assert b"not a text file" in response.content
