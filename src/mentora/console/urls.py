from django.urls import include, path, re_path

from . import views

app_name = "console"

RECORD_KINDS = r"(?P<kind>institutions|networks|programs)"

urlpatterns = [
    path("", views.console_home, name="home"),
    path("people/", views.people_list, name="people"),
    path("people/invite/", views.person_invite, name="person_invite"),
    path("people/<int:user_id>/", views.person_detail, name="person_detail"),
    path("audit/", views.audit_log, name="audit_log"),
    path("backups/", views.backups, name="backups"),
    path("backups/<str:name>", views.backup_download, name="backup_download"),
    re_path(rf"^{RECORD_KINDS}/$", views.record_list, name="records"),
    re_path(rf"^{RECORD_KINDS}/new/$", views.record_edit, name="record_new"),
    re_path(rf"^{RECORD_KINDS}/(?P<pk>[0-9]+)/$", views.record_edit, name="record_edit"),
    path("sign-on/", include("mentora.sso.console_urls")),
    path("provisioning/", include("mentora.provisioning.console_urls")),
]
