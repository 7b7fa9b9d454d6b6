from django import forms


class EraseConfirmForm(forms.Form):
    email = forms.EmailField(label="Type your email address to confirm",
                             help_text="This cannot be undone.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email != self.user.email.lower():
            raise forms.ValidationError("That is not the address of this account.")
        return email


class DataPolicyForm(forms.Form):
    keep_records_on_leave = forms.BooleanField(
        label="Keep a leaver's closed mentoring relationships in the program's records", required=False)
    keep_mentor_records_on_erasure = forms.BooleanField(
        label="On erasure, keep mentors' anonymised records of the relationship", required=False)
