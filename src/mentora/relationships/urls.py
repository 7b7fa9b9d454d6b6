from django.urls import path

from . import views

app_name = "relationships"

urlpatterns = [
    path("programs/<int:program_id>/pair/", views.relationship_pair, name="relationship_pair"),
    path("<int:relationship_id>/<str:action>/", views.relationship_manage, name="relationship_manage"),
]
