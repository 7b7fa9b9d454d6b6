"""What the programs app tells the apps above it."""

from django.dispatch import Signal

# A person accepted a membership invitation (inside the accepting transaction): `invitation`.
# The data app records the external id the invitation carried.
membership_invitation_accepted = Signal()
