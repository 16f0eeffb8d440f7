from django.apps import AppConfig


class PracticePointsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "practice_points"
    verbose_name = "Reviews and practice points"
