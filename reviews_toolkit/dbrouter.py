"""Read replica routing (off by default: docs/deployment.md, "Many users").

With ``DATABASE_REPLICA_URL`` set, reads of the public content's models (themes, practice
points, reviews, resources, the glossary and the search's vocabulary) go to the
``replica`` database, a read-only copy of the primary kept by PostgreSQL's streaming
replication; every write, and every read of anything else (accounts, sessions, the back
office's records, jobs), goes to the primary. Reads inside a transaction stay on the
primary, so a service that writes and reads back sees its own writes.
"""

from django.db import connections

REPLICA = "replica"
PUBLIC_READ_APPS = frozenset({"themes", "practice_points", "resources", "search"})


class PublicReadRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label not in PUBLIC_READ_APPS:
            return None
        if connections["default"].in_atomic_block:
            return "default"
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
