"""Moved to ``content.richtext`` (the content core). This alias is removed at the end of the
issue 16 session: import from ``content.richtext``."""

import sys

from content import richtext as _moved

sys.modules[__name__] = _moved
