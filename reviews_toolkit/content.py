"""Moved to ``content.models`` (the content core). This alias is removed at the end of the
issue 16 session: import from ``content.models``."""

import sys

from content import models as _moved

sys.modules[__name__] = _moved
