"""The registry of content types (content/registry.py): every kind of content is
described once, and what search, the preview, history, sanitising and session packs use is
what the registry says."""

from types import SimpleNamespace

import pytest
import reversion
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from backoffice import preview
from content import registry, textsearch
from content.models import Publishable
from search import services
from search.kinds import KINDS
from session_packs.services import content_model, kind_for_content
from tests.factories import PracticePointFactory, ThemeFactory


def test_every_publishable_model_is_registered_once_with_the_workflow():
    publishable = {
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and not model._meta.proxy
    }
    assert publishable, "no Publishable models found"
    for model in publishable:
        entry = registry.get(model)
        assert entry.workflow, model
        assert entry.versioning is not None, model
    assert set(registry.workflow_models()) == publishable


def test_keys_are_unique_and_lookups_agree():
    entries = registry.registrations()
    assert len({entry.key for entry in entries}) == len(entries)
    for entry in entries:
        assert registry.get(entry.key) is entry
        assert registry.get(entry.label) is entry
        assert registry.get(entry.model) is entry


def test_a_model_cannot_be_registered_twice():
    model = registry.registrations()[0].model
    with pytest.raises(ValueError, match="registered already"):
        registry.register(model, key="another_key")


def test_an_unregistered_model_is_a_lookup_error():
    with pytest.raises(LookupError):
        registry.get(apps.get_model("auth", "User"))


def test_search_indexes_exactly_the_searchable_types():
    assert {kind.model for kind in KINDS.values()} == {e.model for e in registry.searchable()}
    assert list(KINDS) == ["practice_points", "themes", "reviews", "resources"]


def test_reversion_keeps_the_versioned_types_with_their_options():
    for entry in registry.versioned():
        assert reversion.is_registered(entry.model), entry.key
    week = registry.get("practice_week")
    assert week.versioning == {"follow": ("days",)}


def test_every_sanitised_model_cleans_its_text_on_save():
    for model in registry.sanitised_models():
        receivers = models.signals.pre_save._live_receivers(model)
        assert any(getattr(r, "__name__", "") == "sanitise_instance" for r in receivers[0]), model


def test_transfer_fields_are_real_fields_slug_first():
    for entry in registry.transferable():
        spec = entry.transfer
        names = {field.name for field in entry.model._meta.get_fields()}
        assert set(spec.fields) <= names, entry.key
        assert set(spec.m2m) <= names and set(spec.links) <= names, entry.key
        if "slug" in names:
            assert spec.fields[0] == "slug", entry.key


@pytest.mark.django_db
def test_each_preview_and_pack_kind_comes_from_the_registry():
    theme = ThemeFactory()
    point = PracticePointFactory()
    assert preview.preview_url(theme) == f"/preview/theme/{theme.pk}/"
    assert preview.preview_url(point) == f"/preview/practice-point/{point.pk}/"
    assert kind_for_content(point) == "practice_point"
    assert content_model("theme_overview") is type(theme)
    assert content_model("facilitator_note") is None


def test_the_text_search_port_is_the_search_apps_and_refuses_an_incomplete_engine():
    installed = textsearch.engine()
    assert installed.search_practice_points is services.search_practice_points
    with pytest.raises(ImproperlyConfigured, match="search_resources"):
        textsearch.install(SimpleNamespace(search_plan=services.search_plan))
    assert textsearch.engine() is installed  # a refused engine replaces nothing
