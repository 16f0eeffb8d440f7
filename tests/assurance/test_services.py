"""The services: closure rules, who may change what, slippage, challenges, evidence files."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assurance import services
from assurance.evidence_files import EvidenceFileError, evidence_storage
from assurance.models import (
    ActionStatus,
    ChallengeState,
    DueDateChange,
    Evidence,
    ProgressUpdate,
    ScanStatus,
)
from assurance.services import AssuranceError
from tests.assurance.support import PDF

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def complete(aw, action, by):
    services.action_mark_complete(action, by=by)
    action.refresh_from_db()
    return action


def test_closing_without_practice_or_outcome_evidence_is_refused(aw):
    owner, lead = aw["a_users"]["action_owner"], aw["a_users"]["assurance_lead"]
    action = complete(aw, aw["action"], owner)
    with pytest.raises(AssuranceError, match="practice change or of outcome"):
        services.action_sign_off(action, by=lead)
    # an output alone is not enough either
    services.evidence_add(
        action,
        by=owner,
        kind="output",
        date=today(),
        description="Procedure updated",
        link="https://example.org/procedure",
    )
    with pytest.raises(AssuranceError):
        services.action_sign_off(action, by=lead)
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE
    assert action.signed_off_by is None


def test_the_person_who_marked_it_complete_cannot_sign_it_off(aw):
    lead, lead2 = aw["a_users"]["assurance_lead"], aw["a_users"]["lead2"]
    action = aw["action"]
    services.evidence_add(
        action,
        by=lead,
        kind="outcome",
        date=today(),
        description="Children seen sooner",
        link="https://example.org/outcome",
    )
    action = complete(aw, action, lead)
    with pytest.raises(AssuranceError, match="second person"):
        services.action_sign_off(action, by=lead)
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE
    services.action_sign_off(action, by=lead2)
    action.refresh_from_db()
    assert action.status == ActionStatus.ASSURED
    assert action.signed_off_by == lead2
    assert action.rag() == "blue"


def test_only_an_assurance_lead_signs_off(aw):
    action = aw["health_action"]  # complete, with practice-change evidence
    for role in ("action_owner", "owner_health", "scrutineer"):
        with pytest.raises(PermissionDenied):
            services.action_sign_off(action, by=aw["a_users"][role])
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE


def test_an_action_owner_cannot_touch_another_agencys_action(aw):
    owner = aw["a_users"]["action_owner"]  # police
    other = aw["health_action"]
    other.status = ActionStatus.ON_TRACK
    other.save()
    calls = [
        lambda: services.action_record_progress(other, by=owner, text="x", status="on_track"),
        lambda: services.action_revise_due(
            other, by=owner, new_due=today() + datetime.timedelta(days=90), reason="x"
        ),
        lambda: services.evidence_add(
            other,
            by=owner,
            kind="output",
            date=today(),
            description="x",
            link="https://example.org/",
        ),
        lambda: services.action_mark_complete(other, by=owner),
    ]
    before = (ProgressUpdate.objects.count(), Evidence.objects.count())
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert (ProgressUpdate.objects.count(), Evidence.objects.count()) == before


def test_the_scrutineer_writes_nothing_but_challenges(aw):
    s = aw["a_users"]["scrutineer"]
    action, rec = aw["action"], aw["rec"]
    writes = [
        lambda: services.action_record_progress(action, by=s, text="x", status="on_track"),
        lambda: services.action_revise_due(action, by=s, new_due=today(), reason="x"),
        lambda: services.evidence_add(
            action, by=s, kind="output", date=today(), description="x", link="https://e.org/"
        ),
        lambda: services.action_mark_complete(action, by=s),
        lambda: services.action_sign_off(aw["health_action"], by=s),
        lambda: services.action_return(aw["health_action"], by=s, reason="x"),
        lambda: services.recommendation_create(aw["a_review"], by=s, text="x"),
        lambda: services.action_create(
            rec,
            by=s,
            description="x",
            owner_agency=aw["police"],
            lead_role="x",
            due_date=today(),
        ),
        lambda: services.review_plan_update(
            aw["a_review"], by=s, started_on=None, show_what_we_did=True
        ),
        lambda: services.yearly_report_update(2026, by=s, introduction="x", notes={}),
        lambda: services.yearly_report_publish(2026, by=s),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    challenge = services.challenge_raise(rec, by=s, text="Why single agency?")
    assert challenge.state == ChallengeState.OPEN


def test_a_challenge_is_open_until_its_owner_replies(aw):
    challenge = aw["challenge"]  # on the police action
    health_owner = aw["a_users"]["owner_health"]
    with pytest.raises(PermissionDenied):
        services.challenge_reply(challenge, by=health_owner, text="Not mine")
    services.challenge_reply(challenge, by=aw["a_users"]["action_owner"], text="By audit.")
    challenge.refresh_from_db()
    assert challenge.state == ChallengeState.ANSWERED
    services.challenge_reply(challenge, by=aw["a_users"]["scrutineer"], text="When?")
    challenge.refresh_from_db()
    assert challenge.state == ChallengeState.OPEN  # a follow-up needs a reply again
    with pytest.raises(AssuranceError):
        services.challenge_close(challenge, by=aw["a_users"]["scrutineer"])
    services.challenge_reply(challenge, by=aw["a_users"]["action_owner"], text="In March.")
    services.challenge_close(challenge, by=aw["a_users"]["scrutineer"])
    challenge.refresh_from_db()
    assert challenge.state == ChallengeState.CLOSED
    assert [m.is_reply for m in challenge.messages.all()] == [False, True, False, True]


def test_a_revised_due_date_needs_a_reason_and_is_counted(aw):
    owner = aw["a_users"]["action_owner"]
    action = aw["action"]
    first_due = action.due_date
    with pytest.raises(AssuranceError, match="reason"):
        services.action_revise_due(action, by=owner, new_due=first_due.replace(day=1), reason=" ")
    new_due = first_due + datetime.timedelta(days=60)
    services.action_revise_due(action, by=owner, new_due=new_due, reason="Training delayed")
    action.refresh_from_db()
    assert action.revised_due_date == new_due
    assert action.due_date == first_due
    change = DueDateChange.objects.get(action=action)
    assert (change.previous_due, change.new_due, change.changed_by) == (first_due, new_due, owner)


def test_progress_updates_are_dated_and_record_their_author(aw):
    owner = aw["a_users"]["action_owner"]
    when = today() - datetime.timedelta(days=2)
    update = services.action_record_progress(
        aw["action"], by=owner, text="Half the teams trained", status="at_risk", date=when
    )
    assert (update.date, update.author, update.status) == (when, owner, "at_risk")
    aw["action"].refresh_from_db()
    assert aw["action"].status == "at_risk"
    with pytest.raises(AssuranceError):
        services.action_record_progress(
            aw["action"], by=owner, text="x", status="assured"
        )  # not a status a progress update may set


# --- Evidence files -------------------------------------------------------------------


def test_an_evidence_file_is_stored_privately_under_a_random_name(aw, settings, tmp_path):
    owner = aw["a_users"]["action_owner"]
    upload = SimpleUploadedFile("audit report.pdf", PDF, content_type="application/pdf")
    evidence = services.evidence_add(
        aw["action"],
        by=owner,
        kind="practice_change",
        date=today(),
        description="Audit",
        upload=upload,
    )
    assert evidence.original_name == "audit report.pdf"
    assert evidence.file_name.startswith("evidence/") and "audit" not in evidence.file_name
    assert evidence.scan_status == ScanStatus.NOT_SCANNED
    storage = evidence_storage()
    assert storage.exists(evidence.file_name)
    assert str(tmp_path) in storage.path(evidence.file_name)
    with pytest.raises(ValueError):
        storage.url(evidence.file_name)  # no public address


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("script.exe", b"MZ....", "must be one of"),
        ("report.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("empty.pdf", b"", "empty"),
        ("notes.txt", b"text\x00with nul", "not a TXT"),
    ],
)
def test_evidence_files_of_the_wrong_type_are_refused(aw, name, data, message):
    upload = SimpleUploadedFile(name, data)
    with pytest.raises(EvidenceFileError, match=message):
        services.evidence_add(
            aw["action"],
            by=aw["a_users"]["action_owner"],
            kind="output",
            date=today(),
            description="x",
            upload=upload,
        )
    assert not Evidence.objects.filter(action=aw["action"]).exists()


def test_an_evidence_file_over_the_limit_is_refused(aw, settings):
    settings.ASSURANCE_EVIDENCE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000)
    with pytest.raises(EvidenceFileError, match="too large"):
        services.evidence_add(
            aw["action"],
            by=aw["a_users"]["action_owner"],
            kind="output",
            date=today(),
            description="x",
            upload=upload,
        )


def infected(upload):
    raise RuntimeError("Eicar-Test-Signature FOUND")


def clean(upload):
    assert upload.read(5) == b"%PDF-"


def test_the_virus_scan_hook_refuses_an_infected_file_and_marks_a_clean_one(aw, settings):
    owner = aw["a_users"]["action_owner"]
    settings.ASSURANCE_EVIDENCE_SCANNER = "tests.assurance.test_services.infected"
    with pytest.raises(EvidenceFileError, match="virus scan"):
        services.evidence_add(
            aw["action"],
            by=owner,
            kind="output",
            date=today(),
            description="x",
            upload=SimpleUploadedFile("a.pdf", PDF),
        )
    assert not Evidence.objects.filter(action=aw["action"]).exists()
    assert (
        not evidence_storage().exists("evidence") or not evidence_storage().listdir("evidence")[1]
    )
    settings.ASSURANCE_EVIDENCE_SCANNER = "tests.assurance.test_services.clean"
    evidence = services.evidence_add(
        aw["action"],
        by=owner,
        kind="output",
        date=today(),
        description="x",
        upload=SimpleUploadedFile("a.pdf", PDF),
    )
    assert evidence.scan_status == ScanStatus.CLEAN
