from django.apps import AppConfig


class BatchmatchConfig(AppConfig):
    name = "mentora.batchmatch"
    label = "batchmatch"
