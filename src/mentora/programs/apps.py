from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "mentora.programs"
    label = "programs"

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("mentora.privacy"):
            from mentora.privacy.erasure import register_personal_table

            # A program's invitations of a person are about them alone: erasure deletes them.
            register_personal_table("programs.MembershipInvitation", "user")
