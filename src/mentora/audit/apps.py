from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mentora.audit"
    label = "audit"
    verbose_name = "Audit and confidential records"
