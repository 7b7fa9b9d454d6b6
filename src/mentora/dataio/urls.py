from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.import_start, name="import_start"),
    path("import/history/", views.import_history, name="import_history"),
    path("import/<int:batch_id>/", views.import_preview, name="import_preview"),
    path("import/<int:batch_id>/invitations/", views.import_invitation_counts, name="import_invitation_counts"),
    path("programs/<int:program_id>/invitations/", views.account_invitation_list, name="account_invitation_list"),
    path("programs/<int:program_id>/invitations/<int:invitation_id>/resend/", views.account_invitation_resend,
         name="account_invitation_resend"),
    path("export/", views.export_page, name="export_page"),
    path("export/me.json", views.export_me, name="export_me"),
    path("export/programs/<int:program_id>.json", views.export_program_view, {"fmt": "json"},
         name="export_program_json"),
    path("export/programs/<int:program_id>.csv", views.export_program_view, {"fmt": "csv"},
         name="export_program_csv"),
]
