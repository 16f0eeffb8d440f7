from django.urls import path

from . import views

app_name = "practice_points"

urlpatterns = [
    path("", views.practice_point_finder, name="finder"),
    path("<int:pk>/", views.practice_point_detail, name="detail"),
]
