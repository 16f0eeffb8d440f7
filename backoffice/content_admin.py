"""What every content admin shares: the draft -> in review -> published -> archived
workflow by role (backoffice.workflow), freshness ("due for review") and a preview link.

Editors create and edit drafts and items in review, and submit them for review; published
and archived items are read-only for them. Publishers (``<app>.publish_<model>``) also
publish, unpublish and archive. Every status change, from the change form or a bulk
action, goes through ``content_set_status``: checked, validated, saved with ``save()``,
recorded as a revision and in the admin's history.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect

from backoffice.history import HistoryAdmin
from backoffice.locking import LockingAdminMixin
from backoffice.preview import preview_url
from backoffice.transfer.admin import ImportedFilterMixin
from backoffice.workflow import (
    CHANGE_NOTE_REQUIRED,
    PUBLISHER_BUTTONS,
    PUBLISHER_ONLY,
    PUBLISHER_ONLY_TO_EDIT,
    WorkflowError,
    change_note_check,
    content_mark_reviewed,
    content_publish_change,
    content_set_status,
    sources,
    status_change_message,
    status_choices_for,
    stored_status,
    transition_allowed,
    transition_refusal,
    user_can_edit,
    user_can_publish,
    workflow_action_status,
    workflow_buttons,
)
from content.models import Status, a_year_from_today, today


class ReadOnlyAdminMixin:
    """An admin (or inline) to look at, never to add, change or delete through."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Bulk actions only a Publisher is offered (a forged POST of one is refused).
PUBLISHER_ACTIONS = frozenset({"publish_selected", "unpublish_selected", "archive_selected"})
WORKFLOW_MESSAGE_ATTR = "_workflow_change_message"
# For admins with explicit fieldsets: when the item was last checked, when it is next due.
FRESHNESS_FIELDSET = (
    "Freshness",
    {
        "fields": ("last_reviewed", "review_by"),
        "description": "Public pages show ‘Last reviewed’. Items past their ‘review by’ "
        "date are listed under ‘Due for review’.",
    },
)


class DueForReviewFilter(admin.SimpleListFilter):
    title = "due for review"
    parameter_name = "due_for_review"

    def lookups(self, request, model_admin):
        return (("due", "Due for review"), ("not_due", "Not due"))

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_for_review()
        if self.value() == "not_due":
            return queryset.exclude(pk__in=queryset.model.objects.due_for_review().values("pk"))
        return queryset


# Publishing asks whether the change is major (new learning, changed guidance: a one-line
# note, shown on the page and sent to email alerts) or minor (a typo).
CHANGE_NOTE_BUTTONS = frozenset({"publish", "save_published"})
CHANGE_KIND_MISSING = (
    "Say whether this is a major change (new learning or changed guidance) or a minor one (a typo)."
)


def with_change_note(form_class, request):
    """The change form, asking for the change note when a publish button was pressed:
    the answer is kept on the instance as ``_change_note`` = (major, note)."""
    action = request.POST.get("_workflow", "") if request.method == "POST" else ""
    # The form asks (``_change_asked``); a client that was not asked publishes as the
    # bulk actions do (a first publication is major, "First published.").
    if action not in CHANGE_NOTE_BUTTONS or "_change_asked" not in request.POST:
        return form_class
    kind = request.POST.get("_change_kind", "")
    note = request.POST.get("_change_note", "")

    class ChangeNoteForm(form_class):
        def clean(self):
            cleaned = super().clean()
            if kind not in ("major", "minor"):
                self.add_error(None, CHANGE_KIND_MISSING)
                return cleaned
            try:
                self.instance._change_note = (
                    kind == "major",
                    change_note_check(kind == "major", note),
                )
            except ValidationError as error:
                self.add_error(None, error.messages[0] if error.messages else CHANGE_NOTE_REQUIRED)
            return cleaned

    return ChangeNoteForm


class PublishableAdmin(ImportedFilterMixin, LockingAdminMixin, HistoryAdmin):
    actions = [
        "submit_for_review",
        "publish_selected",
        "unpublish_selected",
        "archive_selected",
        "mark_reviewed",
    ]
    readonly_fields = ("published_at", "created_at", "updated_at")
    # The status is changed by the change form's buttons (Save draft, Submit for review,
    # Publish, Unpublish), never typed or picked.
    change_form_template = "admin/publishable_change_form.html"

    class Media:
        css = {"all": ("backoffice/staff.css",)}

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if "status" in fields else (*fields, "status")

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_change_note(super().get_form(request, obj, change, **kwargs), request)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_buttons"] = workflow_buttons(request.user, obj, self.model)
        context["change_note"] = {
            "ask": any(b["action"] in CHANGE_NOTE_BUTTONS for b in context["workflow_buttons"]),
            "kind": request.POST.get("_change_kind", "") if request.method == "POST" else "",
            "note": request.POST.get("_change_note", "") if request.method == "POST" else "",
        }
        context["workflow_read_only_message"] = PUBLISHER_ONLY_TO_EDIT
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        action = request.POST.get("_workflow", "") if request.method == "POST" else ""
        if action in PUBLISHER_BUTTONS and not self.has_publish_permission(request):
            self.message_user(request, f"{PUBLISHER_ONLY} Nothing was saved.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().changeform_view(request, object_id, form_url, extra_context)

    # Permissions --------------------------------------------------------------------

    def has_publish_permission(self, request) -> bool:
        return user_can_publish(request.user, self.model)

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None:
            return user_can_edit(request.user, obj)
        return allowed

    # "View on site": the public page of published content, the staff preview otherwise.

    def view_on_site(self, obj):
        if obj.is_public() and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return preview_url(obj)

    # The change form ----------------------------------------------------------------

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            kwargs["choices"] = status_choices_for(request.user, self.model)
            kwargs["error_messages"] = {"invalid_choice": PUBLISHER_ONLY}
            if not self.has_publish_permission(request):
                kwargs["help_text"] = (
                    "Save as a draft, or submit it for review: a Publisher publishes it."
                )
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if (
                obj is not None
                and obj.status in (Status.PUBLISHED, Status.ARCHIVED)
                and super().has_change_permission(request, obj)
                and not self.has_change_permission(request, obj)
            ):
                self.message_user(request, PUBLISHER_ONLY_TO_EDIT, messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        old = stored_status(obj) if change else Status.DRAFT
        wanted = workflow_action_status(request.POST.get("_workflow", ""), old)
        if wanted is not None:
            obj.status = wanted
        noted = getattr(obj, "_change_note", None)  # (major, note) from a publish button
        if obj.status == old:
            if old == Status.PUBLISHED and noted is not None:
                content_publish_change(
                    obj,
                    user=request.user,
                    major=noted[0],
                    change_note=noted[1],
                    log_entry=False,
                    save=lambda: super(PublishableAdmin, self).save_model(
                        request, obj, form, change
                    ),
                )
                return
            if old == Status.PUBLISHED and form.has_changed():
                # A Publisher saving a change to published content has checked it.
                obj.last_reviewed = today()
                obj.review_by = a_year_from_today()
            super().save_model(request, obj, form, change)
            return
        new = obj.status
        content_set_status(
            obj,
            new,
            user=request.user,
            log_entry=False,  # the admin logs the change, with this message in it
            save=lambda: super(PublishableAdmin, self).save_model(request, obj, form, change),
            major=noted[0] if noted else None,
            change_note=noted[1] if noted else "",
        )
        setattr(form.instance, WORKFLOW_MESSAGE_ATTR, status_change_message(old, new))

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        status_message = getattr(form.instance, WORKFLOW_MESSAGE_ATTR, "")
        if not status_message:
            return message
        details = LogEntry(change_message=json.dumps(message)).get_change_message()
        return f"{status_message} {details}".strip()

    # The change list ----------------------------------------------------------------

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if changelist.list_editable and not self.has_publish_permission(request):
            # Editing in the list would reach published items, read-only for Editors.
            changelist.list_editable = ()
        return changelist

    def changelist_view(self, request, extra_context=None):
        if (
            request.method == "POST"
            and PUBLISHER_ACTIONS.intersection(request.POST.getlist("action"))
            and not self.has_publish_permission(request)
        ):
            self.message_user(request, f"{PUBLISHER_ONLY} Nothing was changed.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)

    # Bulk actions -------------------------------------------------------------------

    def _bulk_set_status(self, request, queryset, status: str, *, only_from, done: str):
        """Move the selected items in ``only_from`` (the statuses the transition table
        moves to ``status`` by this action's verb) to ``status``: all of them or (when one
        is refused or invalid) none."""
        selected = list(queryset)
        items = [obj for obj in selected if obj.status in only_from]
        skipped = len(selected) - len(items)
        refused = [
            obj for obj in items if not transition_allowed(request.user, obj, obj.status, status)
        ]
        if refused:
            reason = transition_refusal(refused[0].status, status)
            self.message_user(request, f"{reason} Nothing was changed.", messages.ERROR)
            return
        try:
            with transaction.atomic():
                for obj in items:
                    current = obj
                    content_set_status(obj, status, user=request.user)
        except (WorkflowError, ValidationError) as error:
            problems = "; ".join(getattr(error, "messages", [str(error)]))
            self.message_user(
                request, f"Nothing was changed: ‘{current}’: {problems}", messages.ERROR
            )
            return
        if items:
            self.message_user(request, f"{len(items)} item(s) {done}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} item(s) left as they were (their status does not allow this).",
                messages.WARNING,
            )

    @admin.action(description="Submit selected items for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._bulk_set_status(
            request,
            queryset,
            Status.IN_REVIEW,
            only_from=sources(Status.IN_REVIEW, "submit"),
            done="submitted for review",
        )

    @admin.action(description="Publish selected items", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk_set_status(
            request,
            queryset,
            Status.PUBLISHED,
            only_from=sources(Status.PUBLISHED, "publish"),
            done="published",
        )

    @admin.action(description="Unpublish selected items (back to draft)", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._bulk_set_status(
            request,
            queryset,
            Status.DRAFT,
            only_from=sources(Status.DRAFT, "unpublish"),
            done="unpublished",
        )

    @admin.action(description="Archive selected items", permissions=["publish"])
    def archive_selected(self, request, queryset):
        self._bulk_set_status(
            request,
            queryset,
            Status.ARCHIVED,
            only_from=sources(Status.ARCHIVED, "archive"),
            done="archived",
        )

    @admin.action(description="Mark selected items as reviewed today", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        selected = list(queryset)
        refused = [obj for obj in selected if not user_can_edit(request.user, obj)]
        if refused:
            self.message_user(
                request, f"{PUBLISHER_ONLY_TO_EDIT} Nothing was changed.", messages.ERROR
            )
            return
        try:
            with transaction.atomic():
                for obj in selected:
                    current = obj
                    content_mark_reviewed(obj, user=request.user)
        except (WorkflowError, ValidationError) as error:
            problems = "; ".join(getattr(error, "messages", [str(error)]))
            self.message_user(
                request, f"Nothing was changed: ‘{current}’: {problems}", messages.ERROR
            )
            return
        self.message_user(
            request,
            f"{len(selected)} item(s) marked as reviewed today; next review in a year.",
            messages.SUCCESS,
        )
