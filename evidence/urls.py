from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("record/", views.record, name="record"),
    path("recorded/", views.recorded, name="recorded"),
    path("shared/<str:token>/", views.shared_start, name="shared_start"),
    path("shared/<str:token>/code/", views.shared_code, name="shared_code"),
    path("shared/<str:token>/record/", views.shared_record, name="shared_record"),
    path("follow-up/<str:token>/", views.follow_up, name="follow_up"),
    path("feedback/", views.feedback, name="feedback"),
]
