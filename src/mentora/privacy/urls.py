"""The privacy pages. Included at the site's root: most live under /privacy/, and a person's optional
attributes stand among their own pages (/people/me/privacy/), all in the one `privacy` namespace."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy_home, name="privacy_home"),
    path("privacy/leave/<slug:slug>/", views.leave_program, name="privacy_leave"),
    path("privacy/withdraw-consent/", views.withdraw_consent, name="privacy_withdraw_consent"),
    path("privacy/erase/", views.erase, name="privacy_erase"),
    path("privacy/programs/<slug:slug>/policy/", views.program_data_policy, name="privacy_program_policy"),
    path("people/me/privacy/", views.privacy_edit, name="privacy_edit"),
]
