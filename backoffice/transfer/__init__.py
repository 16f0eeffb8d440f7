"""The transfer engine: content in and out of the database, one path for everything.

- ``schema``: the kinds of record (one per content model, its fields in export order),
  the CSV columns, and the records, parsed files and results passed between the steps;
- ``parse``: a CSV, YAML or JSON file (or the seed's YAML files, via ``seed``) -> records,
  with every problem the file alone shows;
- ``write``: records -> the database, all or nothing, validated row by row, every status
  change a move of the workflow's transition table;
- ``export``: the database -> the document ``parse`` reads back (JSON, YAML) or the
  practice points CSV;
- ``seed``: the bundled seed files, read into the same document and written by the same
  ``write`` (``manage.py load_seed_content``);
- ``jobs``, ``views``, ``urls``, ``admin``, ``import_templates``: the admin's import and
  export pages, their background jobs and the blank files to start from.

The admin import, ``import_content``, ``export_content`` and ``load_seed_content`` all go
through ``parse`` and ``write`` (and ``export``): nothing else writes content from a file.
"""
