"""Each GOV.UK component that has an include in templates/includes/govuk/ is written
there once: a template elsewhere that writes the component's markup by hand fails this
test (use the include; see the comment at the top of each include for its parameters)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INCLUDES = ROOT / "templates" / "includes" / "govuk"

# Component -> the markup that only its include may write (a class on an element).
COMPONENTS = {
    "breadcrumbs.html": "govuk-breadcrumbs",
    "error_summary.html": "govuk-error-summary",
    "notification_banner.html": "govuk-notification-banner",
    "pagination.html": "govuk-pagination",
    "input.html / textarea.html / select.html / radios.html / checkboxes.html": (
        "govuk-form-group"
    ),
    "input.html": "govuk-input",
    "textarea.html": "govuk-textarea",
    "select.html": "govuk-select",
    "radios.html": "govuk-radios",
    "checkboxes.html": "govuk-checkboxes",
    "date_input.html": "govuk-date-input",
    "file_upload.html": "govuk-file-upload",
    "the field includes (_hint_error.html)": "govuk-error-message",
    "tag.html": "govuk-tag",
}
HAND_WRITTEN = {
    component: re.compile(r'class="(?:[^"]*\s)?' + re.escape(css) + r'(?:[\s"])')
    for component, css in COMPONENTS.items()
}

# Templates of the apps being built alongside this change that still carry their own
# copies (issue 16: they move to the includes; remove each line when its file does).
NOT_YET: set[str] = set()


def site_templates() -> list[Path]:
    """Every template of the project and its apps (not Django's or a library's)."""
    found = []
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" in folder.parts or "node_modules" in folder.parts:
            continue
        found += [path for path in folder.rglob("*.html") if INCLUDES not in path.parents]
    return sorted(found)


def hand_written(text: str) -> list[str]:
    return [component for component, pattern in HAND_WRITTEN.items() if pattern.search(text)]


def test_the_scan_sees_the_templates_and_recognises_each_component():
    templates = site_templates()
    names = {path.relative_to(ROOT).as_posix() for path in templates}
    assert "practice_points/templates/practice_points/finder.html" in names
    assert "templates/base.html" in names
    assert not any("includes/govuk/" in name for name in names)
    # Each pattern finds its component written by hand, and only that.
    for component, css in COMPONENTS.items():
        assert hand_written(f'<div class="{css}">') == [component], css
        assert component in hand_written(f'<div class="app-x {css} app-y">'), css
    assert hand_written('<div class="govuk-tag-list govuk-input__wrapper">') == []
    assert hand_written('<strong class="govuk-phase-banner__content__tag">') == []


@pytest.mark.parametrize(
    "path", site_templates(), ids=lambda path: path.relative_to(ROOT).as_posix()
)
def test_no_template_writes_a_component_that_has_an_include(path):
    name = path.relative_to(ROOT).as_posix()
    found = hand_written(path.read_text(encoding="utf-8"))
    if name in NOT_YET:
        return
    assert found == [], f"{name} writes {found} by hand: use templates/includes/govuk/"


def test_the_files_not_yet_moved_exist_and_still_need_it():
    """So NOT_YET only shrinks: a file that no longer writes a component must leave it."""
    for name in sorted(NOT_YET):
        path = ROOT / name
        if path.exists():
            assert hand_written(path.read_text(encoding="utf-8")), f"{name}: remove from NOT_YET"
