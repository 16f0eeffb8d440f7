"""Import and export of content, inside the admin (mounted at /admin/content/)."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "transfer"

urlpatterns = [
    path("import/", admin.site.admin_view(views.import_upload), name="import"),
    path(
        "import/template/<slug:fmt>/",
        admin.site.admin_view(views.import_template),
        name="import_template",
    ),
    path("import/<uuid:job_id>/", admin.site.admin_view(views.import_job), name="import_job"),
    path(
        "import/<uuid:job_id>/status/",
        admin.site.admin_view(views.import_job_status),
        name="import_job_status",
    ),
    path(
        "import/<uuid:job_id>/confirm/",
        admin.site.admin_view(views.import_job_confirm_view),
        name="import_confirm",
    ),
    path("export/", admin.site.admin_view(views.export_page), name="export"),
    path(
        "export/<slug:fmt>/",
        admin.site.admin_view(views.export_download),
        name="export_download",
    ),
]
