"""Backups are encrypted at rest with the key from the environment; another key is refused, clearly."""

import io
import subprocess
import sys
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mentora.dataio import backup_crypto
from mentora.dataio.backup import BackupError, BackupKeyError, open_backup, restore

from .test_backup import ROOT, child_env

OTHER_KEY = backup_crypto.new_key()


@pytest.mark.parametrize("size", [0, 1, backup_crypto.CHUNK - 1, backup_crypto.CHUNK, backup_crypto.CHUNK + 1,
                                  3 * backup_crypto.CHUNK + 17])
def test_round_trip_of_any_length(size):
    key = backup_crypto.parse_key(backup_crypto.new_key())
    plain = bytes(range(256)) * (size // 256) + bytes(size % 256)
    sealed = io.BytesIO()
    with backup_crypto.EncryptingWriter(sealed, key) as writer:
        for start in range(0, len(plain), 70_000):  # written in pieces, as zipfile does
            writer.write(plain[start:start + 70_000])
    assert plain[:64] not in sealed.getvalue() or size < 64
    out = io.BytesIO()
    assert backup_crypto.decrypt(io.BytesIO(sealed.getvalue()), out, key) == size
    assert out.getvalue() == plain


def _sealed(size=3 * backup_crypto.CHUNK + 5):
    key = backup_crypto.parse_key(backup_crypto.new_key())
    sealed = io.BytesIO()
    with backup_crypto.EncryptingWriter(sealed, key) as writer:
        writer.write(b"x" * size)
    return key, sealed.getvalue()


def test_wrong_key_is_told_apart_from_damage():
    key, sealed = _sealed()
    with pytest.raises(backup_crypto.WrongKeyError, match="another key"):
        backup_crypto.decrypt(io.BytesIO(sealed), io.BytesIO(), backup_crypto.parse_key(OTHER_KEY))
    header = len(backup_crypto.MAGIC) + 32
    flipped = bytearray(sealed)
    flipped[header + 100] ^= 1
    with pytest.raises(backup_crypto.DamagedError, match="part 1"):
        backup_crypto.decrypt(io.BytesIO(bytes(flipped)), io.BytesIO(), key)
    chunk = 4 + backup_crypto.CHUNK + backup_crypto.TAG
    with pytest.raises(backup_crypto.DamagedError, match="cut short"):  # the last part dropped
        backup_crypto.decrypt(io.BytesIO(sealed[:header + 3 * chunk]), io.BytesIO(), key)
    swapped = sealed[:header] + sealed[header + chunk:header + 2 * chunk] + sealed[header:header + chunk] + \
        sealed[header + 2 * chunk:]
    with pytest.raises(backup_crypto.DamagedError, match="part 1"):  # parts reordered
        backup_crypto.decrypt(io.BytesIO(swapped), io.BytesIO(), key)


# A truncated real key: the ids are fixed so that parallel workers collect the same tests.
@pytest.mark.parametrize("text", ["", "short", "not base64 at all!!", backup_crypto.new_key()[:-8]],
                         ids=["empty", "short", "not-base64", "truncated-key"])
def test_a_missing_or_malformed_key_is_refused(text):
    with pytest.raises(backup_crypto.WrongKeyError, match="MENTORA_BACKUP_KEY"):
        backup_crypto.parse_key(text)


@pytest.mark.django_db
def test_backup_is_encrypted_and_restore_refuses_another_key(cast, tmp_path, settings):
    target = tmp_path / "b.backup"
    call_command("backup", str(target))
    raw = target.read_bytes()
    assert raw.startswith(backup_crypto.MAGIC)
    assert cast["mentee_a"].password.encode() not in raw and cast["mentee_a"].email.encode() not in raw
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(target)
    with open_backup(target) as (archive, encrypted):
        assert encrypted and "manifest.json" in archive.namelist()

    settings.BACKUP_KEY = OTHER_KEY
    with pytest.raises(BackupKeyError, match="another key"):
        restore(target)
    with pytest.raises(CommandError, match="made with another key") as error:
        call_command("restore", str(target))
    assert error.value.returncode == 2

    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="MENTORA_BACKUP_KEY is not set") as error:
        call_command("backup", str(tmp_path / "c.backup"))
    assert error.value.returncode == 2 and not (tmp_path / "c.backup").exists()


@pytest.mark.django_db
def test_damaged_encrypted_backup_is_refused(cast, tmp_path):
    target = tmp_path / "b.backup"
    call_command("backup", str(target))
    data = bytearray(target.read_bytes())
    data[len(backup_crypto.MAGIC) + 32 + 40] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="damaged"):
        restore(target)


def test_the_command_line_says_wrong_key_and_exits_2(tmp_path):
    """`mentora restore` with another key: one clear line, exit status 2, nothing restored."""
    key = backup_crypto.parse_key(backup_crypto.new_key())
    target = tmp_path / "b.backup"
    with target.open("wb") as raw, backup_crypto.EncryptingWriter(raw, key) as writer:
        writer.write(b"anything")
    env = {**child_env(tmp_path, None), "MENTORA_BACKUP_KEY": OTHER_KEY}
    result = subprocess.run([sys.executable, "-m", "mentora.cli", "restore", str(target)], capture_output=True,
                            text=True, env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "made with another key than the one in MENTORA_BACKUP_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    new = subprocess.run([sys.executable, "-m", "mentora.cli", "backup", "--new-key"], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=120)
    assert new.returncode == 0 and len(backup_crypto.parse_key(new.stdout.strip())) == 32
