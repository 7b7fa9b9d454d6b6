from django.apps import AppConfig


class ProvisioningConfig(AppConfig):
    name = "mentora.provisioning"
    label = "provisioning"
    verbose_name = "Provisioning from institutions (SCIM 2.0)"
