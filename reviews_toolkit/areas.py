"""Moved to ``content.areas`` (the content core). This alias is removed at the end of the
issue 16 session: import from ``content.areas``."""

import sys

from content import areas as _moved

sys.modules[__name__] = _moved
