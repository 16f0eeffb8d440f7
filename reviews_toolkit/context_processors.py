from django.conf import settings


def site(request):
    """Names the templates show on every page (header, titles, footer)."""
    return {
        "site_name": settings.SITE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "feedback_email": settings.FEEDBACK_EMAIL,
    }
