from django.urls import path

from . import views

app_name = "themes"

urlpatterns = [
    path("", views.theme_list_view, name="list"),
    path("<slug:slug>/", views.theme_detail, name="detail"),
]
