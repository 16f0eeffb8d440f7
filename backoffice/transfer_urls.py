"""Import and export of content, inside the admin (mounted at /admin/content/)."""

from django.contrib import admin
from django.urls import path

from . import transfer_views as views

app_name = "transfer"

urlpatterns = [
    path("import/", admin.site.admin_view(views.import_upload), name="import"),
    path("import/confirm/", admin.site.admin_view(views.import_confirm), name="import_confirm"),
    path("export/", admin.site.admin_view(views.export_page), name="export"),
    path(
        "export/<slug:fmt>/",
        admin.site.admin_view(views.export_download),
        name="export_download",
    ),
]
