"""Moved to ``content.ratelimit`` (the content core). This alias is removed at the end of the
issue 16 session: import from ``content.ratelimit``."""

import sys

from content import ratelimit as _moved

sys.modules[__name__] = _moved
