"""The includes added when the last hand-written GOV.UK components moved (issue 16): a
single checkbox, a file upload, the plain personal-data line (warning_plain), the error
summary's id and body, and evidence's errors_shown (a form re-shown before a real submit
shows no errors). Rendered and read back with lxml: ids, aria-describedby and messages."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from lxml import html as lxml_html


class _Form(forms.Form):
    agree = forms.BooleanField(label="I agree", help_text="Tick to go on.")
    upload = forms.FileField(label="The file", help_text="A CSV file.")
    note = forms.CharField(label="Note", help_text="Short.")
    colour = forms.ChoiceField(
        label="Colour", choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect
    )


def render(source: str, **context):
    text = Template(source).render(Context(context))
    return lxml_html.fragment_fromstring(text, create_parent="div")


def described(tree, element_id: str) -> list[str]:
    return tree.get_element_by_id(element_id).get("aria-describedby", "").split()


def test_a_single_checkbox_with_its_hint_and_error():
    form = _Form(data={})
    tree = render(
        '{% include "includes/govuk/checkbox.html" with field=field hint=field.help_text only %}',
        field=form["agree"],
    )
    box = tree.get_element_by_id("id_agree")
    assert box.get("type") == "checkbox" and box.get("name") == "agree" and not box.get("checked")
    assert described(tree, "id_agree") == ["id_agree-hint", "id_agree-error"]
    assert tree.get_element_by_id("id_agree-hint").text_content() == "Tick to go on."
    assert "This field is required." in tree.get_element_by_id("id_agree-error").text_content()
    assert tree.xpath("//label[@for='id_agree']")[0].text_content() == "I agree"
    assert not tree.xpath("//fieldset")  # one box: no fieldset, the label says it all
    ticked = render(
        '{% include "includes/govuk/checkbox.html" with field=field only %}',
        field=_Form(data={"agree": "on"})["agree"],
    )
    assert ticked.get_element_by_id("id_agree").get("checked") is not None
    assert not ticked.xpath("//*[@aria-describedby]")


def test_a_file_upload_with_its_hint_and_error():
    tree = render(
        '{% include "includes/govuk/file_upload.html" with field=field hint="A CSV file." '
        'accept=".csv" only %}',
        field=_Form(data={})["upload"],
    )
    upload = tree.get_element_by_id("id_upload")
    assert upload.get("type") == "file" and upload.get("accept") == ".csv"
    assert "govuk-file-upload--error" in upload.get("class")
    assert described(tree, "id_upload") == ["id_upload-hint", "id_upload-error"]


def test_the_plain_warning_line_is_a_hint_in_aria_describedby():
    tree = render(
        '{% include "includes/govuk/input.html" with field=field hint="Short." '
        'warning="No personal data." warning_plain=True only %}',
        field=_Form()["note"],
    )
    line = tree.get_element_by_id("id_note-warning")
    assert line.tag == "p" and "govuk-hint" in line.get("class")
    assert line.text_content() == "Warning: No personal data."
    assert not tree.xpath("//*[contains(@class, 'govuk-warning-text')]")
    assert described(tree, "id_note") == ["id_note-hint", "id_note-warning"]


def test_the_error_summary_takes_an_id_and_a_body():
    tree = render(
        '{% include "includes/govuk/error_summary.html" with id="import-errors" '
        'title="Nothing can be imported" body="includes/govuk/tag.html" text="Two problems" only %}'
    )
    summary = tree.get_element_by_id("import-errors")
    assert "govuk-error-summary" in summary.get("class")
    assert summary.xpath(".//h2")[0].text_content() == "Nothing can be imported"
    body = summary.xpath(".//*[@class='govuk-error-summary__body']")[0]
    assert body.text_content().strip() == "Two problems"
    assert render('{% include "includes/govuk/error_summary.html" only %}').text_content() == ""


def test_errors_shown_hides_the_errors_until_a_real_submit():
    form = _Form(data={})
    source = (
        "{% load evidence %}{% with f=field|errors_shown:shown %}"
        '{% include "includes/govuk/radios.html" with field=f only %}{% endwith %}'
    )
    hidden = render(source, field=form["colour"], shown=False)
    assert not hidden.xpath("//*[contains(@class, 'govuk-error-message')]")
    assert not hidden.xpath("//fieldset[@aria-describedby]")
    assert [i.get("id") for i in hidden.xpath("//input")] == ["id_colour_0", "id_colour_1"]
    shown = render(source, field=form["colour"], shown=True)
    assert shown.get_element_by_id("id_colour-error").text_content().endswith("required.")
    assert shown.xpath("//fieldset")[0].get("aria-describedby") == "id_colour-error"
