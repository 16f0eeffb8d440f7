"""Signals of the content's life that features listen to (alerts, the page cache).

``content_published`` is sent by the workflow (backoffice) after a change to an item is
published (first publication or a published change), inside the same transaction's
``on_commit``: ``sender`` is the model class, with ``instance``, ``user`` (who published),
``major`` (bool: new learning or changed guidance, as opposed to a typo) and
``change_note`` (one line, required when ``major``; "" otherwise).

``content_unpublished`` is sent when a published item stops being public (unpublished
or archived): ``sender``, ``instance``, ``user``.
"""

from django.dispatch import Signal

content_published = Signal()
content_unpublished = Signal()
