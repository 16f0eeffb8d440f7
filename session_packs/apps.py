from django.apps import AppConfig


class SessionPacksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "session_packs"
    verbose_name = "Trainers' session packs"
