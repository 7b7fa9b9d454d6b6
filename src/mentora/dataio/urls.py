from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.import_start, name="import_start"),
    path("import/<int:batch_id>/", views.import_preview, name="import_preview"),
]
