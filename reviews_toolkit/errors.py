"""The 500 handler: a database that cannot be reached (restarting, failing over) is a
clear 503 with Retry-After, not a "something went wrong" 500; the next request connects
again (CONN_HEALTH_CHECKS), so the site recovers without a restart."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.views.defaults import server_error as django_server_error

UNAVAILABLE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Service unavailable - Learning from Reviews Toolkit</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Sorry, the service is unavailable</h1>
<p>The toolkit cannot reach its database for a moment. Try again in a few seconds.</p></main></body></html>
"""
RETRY_AFTER_SECONDS = 5


def server_error(request, *args, **kwargs):
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        # Written out here: the page must not need the database (nor templates that might).
        response = HttpResponse(UNAVAILABLE, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return django_server_error(request, *args, **kwargs)
