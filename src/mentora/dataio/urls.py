"""The data pages: import, invitations and export under /data/, and adding one person by hand, which
stands among a program's own pages (/programs/<id>/people/add/). Included at the site's root, all in
the one `dataio` namespace."""

from django.urls import path

from . import views

app_name = "dataio"

urlpatterns = [
    path("data/import/", views.import_start, name="import_start"),
    path("data/import/history/", views.import_history, name="import_history"),
    path("data/import/<int:batch_id>/", views.import_preview, name="import_preview"),
    path("data/import/<int:batch_id>/invitations/", views.import_invitation_counts, name="import_invitation_counts"),
    path("data/programs/<int:program_id>/invitations/", views.account_invitation_list,
         name="account_invitation_list"),
    path("data/programs/<int:program_id>/invitations/<int:invitation_id>/resend/", views.account_invitation_resend,
         name="account_invitation_resend"),
    path("data/export/", views.export_page, name="export_page"),
    path("data/export/me.json", views.export_me, name="export_me"),
    path("data/export/programs/<int:program_id>.json", views.export_program_view, {"fmt": "json"},
         name="export_program_json"),
    path("data/export/programs/<int:program_id>.csv", views.export_program_view, {"fmt": "csv"},
         name="export_program_csv"),
    path("programs/<int:program_id>/people/add/", views.program_person_add_page, name="program_person_add"),
]
