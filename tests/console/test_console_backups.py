"""The console's Backups page: start a backup in the worker, download it, each audited."""

import pytest
from django.urls import reverse

from mentora.audit.models import AdminAction
from mentora.background.models import Job
from mentora.dataio import backup_crypto


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


def test_start_a_backup_download_it_each_audited(client, cast, backup_dir, django_capture_on_commit_callbacks):
    client.force_login(cast["admin"])
    page = client.get(reverse("console:backups")).content.decode()
    assert "Restore procedure" in page and "mentora restore FILE.backup" in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("console:backups"))
    job = Job.objects.get(kind=Job.Kind.BACKUP)
    assert answer.status_code == 302 and answer["Location"] == reverse("background:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    files = list(backup_dir.iterdir())
    assert len(files) == 1 and files[0].read_bytes().startswith(backup_crypto.MAGIC)
    assert files[0].name in client.get(reverse("console:backups")).content.decode()

    download = client.get(reverse("console:backup_download", args=[files[0].name]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(backup_crypto.MAGIC)
    assert list(AdminAction.objects.order_by("id").values_list("action", flat=True)) == [
        "backup.start", "backup.done", "backup.download"]
    assert client.get(reverse("console:backup_download", args=["..%2Fmentora.sqlite3"])).status_code == 404


def test_no_key_no_backup(client, cast, backup_dir, settings):
    settings.BACKUP_KEY = ""
    client.force_login(cast["admin"])
    client.post(reverse("console:backups"))
    assert not Job.objects.exists() and not AdminAction.objects.exists()
    assert "MENTORA_BACKUP_KEY is not set" in client.get(reverse("console:backups")).content.decode()
