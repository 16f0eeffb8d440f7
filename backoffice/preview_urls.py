"""/preview/<kind>/<pk>/: staff previews of content in any status (backoffice.preview)."""

from django.urls import path

from . import preview

app_name = "preview"

urlpatterns = [
    path("<str:kind>/<int:pk>/", preview.preview, name="detail"),
]
