from django.urls import path, re_path

from . import views
from .renderers import FORMAT_PATTERN as FORMATS

app_name = "session_packs"

urlpatterns = [
    path("", views.pack_list, name="list"),
    path("new/", views.pack_new, name="new"),
    path("add/", views.add_to_pack, name="add"),
    path("from-theme/", views.pack_from_theme, name="from_theme"),
    path("<int:pk>/", views.pack_detail, name="detail"),
    path("<int:pk>/edit/", views.pack_edit, name="edit"),
    path("<int:pk>/delete/", views.pack_delete, name="delete"),
    path("<int:pk>/new-link/", views.pack_new_link, name="new_link"),
    path("<int:pk>/duplicate/", views.pack_duplicate, name="duplicate"),
    path("<int:pk>/reorder/", views.pack_reorder, name="reorder"),
    path("<int:pk>/items/add/", views.item_add_written, name="item_add"),
    path("<int:pk>/items/undo/", views.item_undo, name="item_undo"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item_move"),
    path("<int:pk>/items/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    re_path(rf"^(?P<pk>\d+)/export/{FORMATS}/$", views.pack_export, name="export"),
    path("welcome/<uidb64>/<token>/", views.welcome, name="welcome"),
    path("shared/<str:token>/", views.shared_pack, name="shared"),
    re_path(
        rf"^shared/(?P<token>[A-Za-z0-9_-]+)/export/{FORMATS}/$",
        views.shared_pack_export,
        name="shared_export",
    ),
]
