from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("invitations/", views.membership_invitations, name="membership_invitations"),
    path("invitations/<int:invitation_id>/accept/", views.membership_invitation_accept_view,
         name="membership_invitation_accept"),
    path("invitations/<int:invitation_id>/decline/", views.membership_invitation_decline_view,
         name="membership_invitation_decline"),
    path("<int:program_id>/people/", views.program_people, name="program_people"),
]
