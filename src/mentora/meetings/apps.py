from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "mentora.meetings"
    label = "meetings"
    verbose_name = "Mentoring lifecycle"
