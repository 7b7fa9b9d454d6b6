"""The console's sign-on forms: one per protocol, instead of JSON settings."""

from django import forms

from mentora.core.links import WebLinkFormField
from mentora.core.uploads import UploadValidator

from .saml import DEFAULT_ATTRIBUTES

# One identity provider's metadata is a few tens of KB; a federation's aggregate is given by its address.
SAML_METADATA_MAX_BYTES = 10 * 1024 * 1024


def _domains(text: str) -> list[str]:
    return [d for d in text.replace(",", " ").split() if d]


class _Common(forms.Form):
    email_domains = forms.CharField(
        label="Email domains the institution vouches for",
        help_text="Separated by spaces or commas, e.g. riverside.edu med.riverside.edu. At least one.")
    allow_signup = forms.BooleanField(label="Create an account for a person who has none yet", required=False,
                                      initial=True)
    is_enabled = forms.BooleanField(label="Switched on (listed on the login page)", required=False)
    name = forms.CharField(label="Name on the login page", required=False,
                           help_text="The institution's name if left empty.")

    def common(self) -> dict:
        data = self.cleaned_data
        return {"email_domains": _domains(data["email_domains"]), "allow_signup": data["allow_signup"],
                "is_enabled": data["is_enabled"], "name": data["name"].strip()}


class OidcForm(_Common):
    server_url = WebLinkFormField(label="Issuer URL",
                                  help_text="Mentora reads /.well-known/openid-configuration under it.")
    client_id = forms.CharField(label="Client id")
    secret = forms.CharField(label="Client secret", required=False, widget=forms.PasswordInput(render_value=False),
                             help_text="Leave empty to keep the stored secret.")
    field_order = ["server_url", "client_id", "secret", "email_domains", "allow_signup", "is_enabled", "name"]


class SamlForm(_Common):
    idp_metadata_url = WebLinkFormField(label="Identity provider's metadata address", required=False,
                                        help_text="Read now and again at sign-in (cached four hours).")
    idp_metadata_file = forms.FileField(
        label="…or its metadata file", required=False, help_text="An XML file of at most 10 MB.",
        validators=[UploadValidator(kinds={"xml"}, max_bytes=SAML_METADATA_MAX_BYTES)])
    idp_entity_id = forms.CharField(label="…or by hand: entity id", required=False)
    idp_sso_url = WebLinkFormField(label="Sign-on address (HTTP-Redirect)", required=False)
    idp_x509cert = forms.CharField(label="Signing certificate (PEM)", required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    attr_uid = forms.CharField(label="Person identifier attributes", required=False,
                               help_text="Default: " + ", ".join(DEFAULT_ATTRIBUTES["uid"][:2]))
    attr_email = forms.CharField(label="Email attributes", required=False,
                                 help_text="Default: " + ", ".join(DEFAULT_ATTRIBUTES["email"][:2]))
    attr_name = forms.CharField(label="Name attributes", required=False,
                                help_text="Default: " + ", ".join(DEFAULT_ATTRIBUTES["name"][:2]))
    field_order = ["idp_metadata_url", "idp_metadata_file", "idp_entity_id", "idp_sso_url", "idp_x509cert",
                   "attr_uid", "attr_email", "attr_name", "email_domains", "allow_signup", "is_enabled", "name"]

    def saml(self) -> dict:
        data = self.cleaned_data
        upload = data.get("idp_metadata_file")
        return {
            **self.common(),
            "idp_metadata_url": data["idp_metadata_url"], "idp_metadata_xml": upload.read() if upload else "",
            "idp_entity_id": data["idp_entity_id"], "idp_sso_url": data["idp_sso_url"],
            "idp_x509cert": data["idp_x509cert"],
            "attribute_mapping": {"uid": data["attr_uid"], "email": data["attr_email"], "name": data["attr_name"]},
        }
