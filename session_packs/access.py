"""Who may use session packs: users in the Trainer group, and superusers.

The answers are cached on the request, so a page asks the database at most once
however many "Add to pack" forms it shows; anonymous users cost no query at all."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .models import TRAINER_GROUP

_IS_TRAINER = "_session_packs_is_trainer"


def user_is_trainer(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=TRAINER_GROUP).exists()


def is_trainer(request) -> bool:
    if request is None:
        return False
    if not hasattr(request, _IS_TRAINER):
        setattr(request, _IS_TRAINER, user_is_trainer(getattr(request, "user", None)))
    return getattr(request, _IS_TRAINER)


def private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def trainer_required(view):
    """Anonymous: to the sign-in page. Signed in but not a trainer: 403 with a page
    saying so. Every response is private and never stored."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return private(redirect_to_login(request.get_full_path()))
        if not is_trainer(request):
            return private(
                render(
                    request,
                    "session_packs/not_a_trainer.html",
                    {"nav_section": "packs"},
                    status=403,
                )
            )
        return private(view(request, *args, **kwargs))

    return wrapper
