from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Content text is sanitised on save (nh3 allow-list) and links must be http(s),
        # for every registered type (the models, and so the registry, are loaded by now).
        from . import sanitising

        sanitising.connect()

        # The page cache's generation moves on with every change of public content, in
        # every process (web and worker alike): content/pagecache.py.
        from . import pagecache

        pagecache.connect()
