"""Moved to ``content.pagination`` (the content core). This alias is removed at the end of the
issue 16 session: import from ``content.pagination``."""

import sys

from content import pagination as _moved

sys.modules[__name__] = _moved
