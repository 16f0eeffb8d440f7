"""Indexes that are PostgreSQL's own but must not break a SQLite database.

A GIN index is declared on the model (so Django's migration state knows it), made
``USING gin`` on PostgreSQL and a plain index elsewhere: SQLite has no GIN, and it
rebuilds a table (and its indexes) on many schema changes, so the index must always
produce SQL SQLite accepts.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db.models import Index


class PortableGinIndex(GinIndex):
    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = Index(fields=self.fields, name=self.name)
        return plain.create_sql(model, schema_editor, **kwargs)
