"""What the programs app tells the apps above it."""

from django.dispatch import Signal

# A person accepted a membership invitation (inside the accepting transaction): `invitation`.
# The data app records the external id the invitation carried.
membership_invitation_accepted = Signal()
# A person was asked (again) to join a program (inside the asking transaction): `invitation`.
# The notifications app tells them, in the words of programs.services.invitation_notice.
membership_invited = Signal()
