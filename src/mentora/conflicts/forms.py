from django import forms
from django.contrib.auth import get_user_model

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership, Program

from .models import EvaluatingRole

User = get_user_model()


class EvaluatingRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=EvaluatingRole.Role.choices)
    program = forms.ModelChoiceField(
        label="Over every mentee of a program", queryset=Program.objects.none(), required=False,
        empty_label="— not a whole program —",
    )
    mentee = forms.ModelChoiceField(
        label="Or over one mentee", queryset=User.objects.none(), required=False, empty_label="— no single mentee —",
    )
    note = forms.CharField(label="Note (optional)", max_length=200, required=False,
                           help_text="For example: cardiology rotation, block 4.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        year = current_academic_year()
        program_ids = Membership.objects.filter(user=user, academic_year=year, is_active=True).values("program_id")
        self.fields["program"].queryset = Program.objects.filter(id__in=program_ids)
        self.fields["mentee"].queryset = User.objects.filter(
            memberships__program_id__in=program_ids, memberships__role=Membership.Role.MENTEE,
            memberships__academic_year=year, memberships__is_active=True,
        ).exclude(pk=user.pk).distinct().order_by("full_name")

    def clean(self):
        data = super().clean()
        if bool(data.get("program")) == bool(data.get("mentee")):
            raise forms.ValidationError("Choose either a program or one mentee.")
        return data


class ConflictPolicyForm(forms.Form):
    forbid_evaluator_pairs = forms.BooleanField(
        label="Never pair a mentee with a mentor who evaluates them", required=False,
        help_text="Otherwise such pairs are allowed with a warning to the mentee, mentor and you.",
    )
    coordinator_may_override = forms.BooleanField(
        label="A coordinator may keep such a pair in a batch match, giving a reason", required=False,
        help_text="Batch matching keeps every such pair apart and lists it, flagged, in the preview. With this, a "
                  "coordinator may keep one: the reason is kept in the relationship's history and told to both.",
    )
