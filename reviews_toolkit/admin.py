"""Moved to ``backoffice.content_admin`` (a feature may not import the project shell). This
alias is removed at the end of the issue 16 session."""

import sys

from backoffice import content_admin as _moved

sys.modules[__name__] = _moved
