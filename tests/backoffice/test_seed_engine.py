"""The seed goes through the transfer engine (issue 16, item 3): a malformed seed row is
refused with the very words an import of the same row gives, and the seed's status is a
move of the workflow's transition table like any import's.

The import's words are computed by importing the same row as a document, through the
import's own entry point (``import_parse`` + ``content_import``), never written here."""

import json
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from backoffice.transfer.parse import import_parse
from backoffice.transfer.write import content_import
from backoffice.workflow import TRANSITIONS
from content.models import Status
from practice_points.models import PracticePoint
from resources.models import Resource
from themes.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_copy(tmp_path):
    """The seed files, each cut to its first few items (what they name is in the test
    database already: it starts with the whole seed), so that a load takes little time."""
    source, target = Path(settings.SEED_CONTENT_DIR), tmp_path / "seed"
    (target / "practice_points").mkdir(parents=True)
    for name in ("agencies.yaml", "themes.yaml", "reviews.yaml", "resources.yaml"):
        rows = yaml.safe_load((source / name).read_text())[:3]
        (target / name).write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False))
    shutil.copy(source / "practice_week.yaml", target / "practice_week.yaml")
    points = yaml.safe_load((source / "practice_points" / "child_d.yaml").read_text())
    points["points"] = points["points"][:3]
    (target / "practice_points" / "child_d.yaml").write_text(
        yaml.safe_dump(points, allow_unicode=True, sort_keys=False)
    )
    return target


def edit_list(path: Path, change) -> None:
    rows = yaml.safe_load(path.read_text())
    change(rows)
    path.write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False))


def import_errors(key: str, row: dict) -> list[str]:
    """What importing ``row`` as the only item of a document says is wrong with it."""
    result = content_import(
        import_parse("row.json", json.dumps({key: [row]}, default=str).encode()), user=None
    )
    assert not result.saved
    return [error for record in result.rows_with_errors for error in record.errors]


def seed_refusal(directory: Path) -> str:
    with pytest.raises(CommandError) as refused:
        call_command(
            "load_seed_content", "--directory", str(directory), stdout=open("/dev/null", "w")
        )  # noqa: SIM115
    return str(refused.value)


CASES = {
    # file, the document key, how to break the first item, what it is then
    "a new resource with a link that is not http(s)": (
        "resources.yaml",
        "resources",
        lambda row: row.update(slug="new-ftp-resource", url="ftp://example.org/guide.pdf"),
    ),
    "an existing resource with a link that is not http(s)": (
        "resources.yaml",
        "resources",
        lambda row: row.update(url="ftp://example.org/guide.pdf"),
    ),
    "a new theme of an unknown kind": (
        "themes.yaml",
        "themes",
        lambda row: row.update(slug="new-odd-theme", name="Odd", kind="sometimes"),
    ),
    "a review of an unknown type with no title": (
        "reviews.yaml",
        "reviews",
        lambda row: (row.update(slug="new-bad-review", review_type="guesswork"), row.pop("title")),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_malformed_seed_row_is_refused_with_the_imports_words(seed, seed_copy, case):
    filename, key, breaks = CASES[case]
    rows = yaml.safe_load((seed_copy / filename).read_text())
    breaks(rows[0])
    (seed_copy / filename).write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False))
    row = {**rows[0], "status": "published"}
    if key == "resources":
        row.setdefault("link_kind", "document")
    expected = import_errors(key, row)
    assert expected  # the import refuses it

    message = seed_refusal(seed_copy)

    label = {"resources": "resource", "themes": "theme", "reviews": "review"}[key]
    where = f"{filename}, item 1 ({label} {rows[0]['slug']})"
    lines = message.splitlines()
    assert lines[0] == f"Nothing was loaded: {len(expected)} problem(s) in the seed content."
    assert lines[1:] == [f"{where}: {error}" for error in expected]


def test_a_seed_point_without_text_is_refused_like_an_imported_one(seed, seed_copy):
    path = seed_copy / "practice_points" / "child_d.yaml"
    data = yaml.safe_load(path.read_text())
    data["points"][1]["text"] = "   "
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    expected = import_errors(
        "points", {**data["points"][1], "review": data["review"], "status": "published"}
    )
    assert expected[0] == "Missing text: every point needs the learning point's text."
    message = seed_refusal(seed_copy)
    where = f"practice_points/child_d.yaml, point 2 (practice point {data['points'][1]['slug']})"
    assert message.splitlines()[1:] == [f"{where}: {error}" for error in expected]


def test_a_refused_seed_saves_nothing_and_reports_every_problem(seed, seed_copy):
    before = (Resource.objects.count(), Theme.objects.count())
    for filename, _key, breaks in (
        CASES["a new resource with a link that is not http(s)"],
        CASES["a new theme of an unknown kind"],
    ):
        edit_list(seed_copy / filename, lambda rows, breaks=breaks: breaks(rows[0]))
    message = seed_refusal(seed_copy)
    assert "resources.yaml, item 1" in message and "themes.yaml, item 1" in message
    assert (Resource.objects.count(), Theme.objects.count()) == before
    assert not Theme.objects.filter(slug="new-odd-theme").exists()


def test_update_brings_archived_seed_content_back_through_the_table(seed):
    point = PracticePoint.objects.order_by("pk").first()
    PracticePoint.objects.filter(pk=point.pk).update(status=Status.ARCHIVED)
    call_command("load_seed_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point.refresh_from_db()
    assert point.status == Status.ARCHIVED  # a plain load leaves staff's records alone
    call_command("load_seed_content", "--update", stdout=open("/dev/null", "w"))  # noqa: SIM115
    point.refresh_from_db()
    assert point.status == Status.PUBLISHED  # archived -> published: a move of the table


def test_the_seed_asks_the_table_and_is_refused_a_move_it_lacks(seed, monkeypatch):
    """Take the move away from the table and the seed cannot make it either: the seed's
    status is written by the engine's one write path, which asks the table."""
    point = PracticePoint.objects.order_by("pk").first()
    PracticePoint.objects.filter(pk=point.pk).update(status=Status.ARCHIVED)
    monkeypatch.delitem(TRANSITIONS, (Status.ARCHIVED, Status.PUBLISHED))
    with pytest.raises(CommandError) as refused:
        call_command("load_seed_content", "--update", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        f"(practice point {point.slug}): Archived content cannot be moved to published: "
        "move it back to draft first." in str(refused.value)
    )
    point.refresh_from_db()
    assert point.status == Status.ARCHIVED
