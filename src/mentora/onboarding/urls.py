from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("dismiss/", views.dismiss, name="first_steps_dismiss"),
]
