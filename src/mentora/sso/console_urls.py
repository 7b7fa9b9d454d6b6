"""Under the console's namespace (console:signon_list, ...), mounted at /console/sign-on/."""

from django.urls import path

from . import console_views as views

urlpatterns = [
    path("", views.signon_list, name="signon_list"),
    path("<int:institution_id>/remove/", views.signon_remove, name="signon_remove"),
    path("<int:institution_id>/test/", views.signon_test, name="signon_test"),
    path("<int:institution_id>/test/result/", views.signon_test_result, name="signon_test_result"),
    path("<int:institution_id>/<str:protocol>/", views.signon_edit, name="signon_edit"),
]
