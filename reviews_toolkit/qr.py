"""Moved to ``content.qr`` (the content core). This alias is removed at the end of the
issue 16 session: import from ``content.qr``."""

import sys

from content import qr as _moved

sys.modules[__name__] = _moved
