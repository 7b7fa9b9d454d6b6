from django.urls import path

from . import views

urlpatterns = [
    path("", views.privacy_home, name="privacy_home"),
    path("leave/<slug:slug>/", views.leave_program, name="privacy_leave"),
    path("withdraw-consent/", views.withdraw_consent, name="privacy_withdraw_consent"),
    path("erase/", views.erase, name="privacy_erase"),
    path("programs/<slug:slug>/policy/", views.program_data_policy, name="privacy_program_policy"),
]
