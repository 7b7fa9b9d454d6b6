from django import forms
from django.contrib.auth import get_user_model

from mentora.core.vocabulary import TRAINING_LEVELS
from mentora.programs.models import Institution, Membership, Network, Program

from .selectors import ROLE_FILTERS


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label="Name or email", required=False, max_length=200)
    role = forms.ChoiceField(label="Role", required=False, choices=list(ROLE_FILTERS.items()))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason (kept in the audit log)", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address")
    full_name = forms.CharField(label="Full name", max_length=200, required=False)
    program = forms.ModelChoiceField(label="Program", queryset=Program.objects.select_related("institution"))
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)
    training_level = forms.ChoiceField(label="Training level", required=False,
                                       choices=[("", "—"), *TRAINING_LEVELS.items()])


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "slug", "city", "state", "country", "networks"]
        widgets = {"networks": forms.CheckboxSelectMultiple}


class NetworkForm(forms.ModelForm):
    coordinator_emails = forms.CharField(
        label="Network coordinators", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Email addresses of existing accounts, one a line: they see the network's dashboard and answer "
                  "its referral requests.")

    class Meta:
        model = Network
        fields = ["name", "slug", "description", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["coordinator_emails"] = "\n".join(
                self.instance.coordinators.order_by("email").values_list("email", flat=True))

    def clean_coordinator_emails(self):
        emails = sorted({line.strip().lower() for line in self.cleaned_data["coordinator_emails"].splitlines()
                         if line.strip()})
        people = list(get_user_model().objects.filter(email__in=emails))
        unknown = sorted(set(emails) - {person.email.lower() for person in people})
        if unknown:
            raise forms.ValidationError(f"No account with {', '.join(unknown)}: invite them first.")
        return people

    def save(self, commit=True):
        network = super().save(commit=commit)
        network.coordinators.set(self.cleaned_data["coordinator_emails"])
        return network


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["name", "slug", "institution", "network", "specialty", "review_frequency",
                  "meeting_cadence_days", "request_expiry_days"]


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="Who, what or why", required=False, max_length=200)
    action = forms.ChoiceField(label="Action", required=False, choices=[
        ("", "Every action"), ("person", "People (all)"), ("person.deactivate", "Deactivations"),
        ("person.reactivate", "Reactivations"), ("person.mfa_reset", "MFA resets"), ("person.invite", "Invitations"),
        ("person.site_admin_grant", "Site admin granted"), ("person.site_admin_revoke", "Site admin taken away"),
        ("institution", "Institutions"), ("network", "Networks"), ("program", "Programs"),
        ("backup", "Backups"), ("signon", "Sign-on providers"), ("provisioning", "Provisioning (SCIM)"),
    ])
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"}))
