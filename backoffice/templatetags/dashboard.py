"""The admin home's counts (backoffice.dashboard), for the signed-in staff member."""

from django import template

from backoffice.dashboard import attention_counts, content_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_dashboard(context) -> dict:
    user = context["request"].user
    return {"content": content_rows(user), "attention": attention_counts(user)}
