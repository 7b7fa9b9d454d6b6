from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("recommended/", views.recommended, name="recommended"),
    path("what-matters/", views.preferences, name="match_preferences"),
    path("team/", views.mentoring_team, name="mentoring_team"),
    path("ask/<int:mentor_id>/", views.request_new, name="request_new"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/<int:request_id>/", views.request_detail, name="request_detail"),
    path("requests/<int:request_id>/<str:action>/", views.request_answer, name="request_answer"),
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:referral_id>/pick/", views.referral_pick, name="referral_pick"),
    path("referrals/<int:referral_id>/cancel/", views.referral_cancel, name="referral_cancel"),
]
