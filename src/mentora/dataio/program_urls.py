"""The data pages that stand among a program's own (/programs/<id>/...): adding one person by hand."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:program_id>/people/add/", views.program_person_add_page, name="program_person_add"),
]
