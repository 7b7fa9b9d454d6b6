"""Encryption of backups at rest: a backup holds every password hash, every private note and every
sensitive attribute, so the file on disk is never the plain zip.

Why AES-256-GCM in chunks (from `cryptography`, already a dependency) rather than Fernet: Fernet
encrypts one message in memory, and a backup of a national network is gigabytes; the chunked form
streams in 1 MiB pieces, so backup and restore keep their memory flat. Each chunk is authenticated
with its position and whether it is the last one, so a file that is cut short, reordered or edited
is refused, not half-restored.

The key is 32 random bytes in URL-safe base64, from the environment (MENTORA_BACKUP_KEY); make one
with `mentora backup --new-key`. Each file gets its own key, derived from the key and a random salt
(HKDF-SHA256), so the chunk counter can serve as the nonce. A check value in the header tells "made
with another key" apart from "damaged".

File layout:
    MAGIC (16 bytes) | salt (16) | key check (16) | chunks...
    chunk = length of ciphertext (4 bytes, big-endian) | ciphertext (plaintext + 16-byte tag)
    nonce of chunk i = i (11 bytes, big-endian) | 1 if last else 0 (1 byte)
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"MENTORA-BACKUP\x00\x01"  # format name, version 1
CHUNK = 1 << 20
TAG = 16
ENVIRONMENT_VARIABLE = "MENTORA_BACKUP_KEY"


class WrongKeyError(Exception):
    """No key, a malformed key, or a file made with another key."""


class DamagedError(Exception):
    """The encrypted file is cut short or altered."""


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def parse_key(text: str) -> bytes:
    if not text:
        raise WrongKeyError(f"{ENVIRONMENT_VARIABLE} is not set: backups are encrypted with it "
                        "(make one with `mentora backup --new-key` and keep it apart from the backups)")
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise WrongKeyError(f"{ENVIRONMENT_VARIABLE} is not a backup key (32 bytes in URL-safe base64, "
                        "as `mentora backup --new-key` prints)")
    return key


def _file_key(key: bytes, salt: bytes) -> tuple[bytes, bytes]:
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=salt, info=b"mentora backup v1").derive(key)
    return material[:32], material[32:48]  # the AES key, the key check


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def is_encrypted(path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


class EncryptingWriter:
    """A write-only file object: what is written goes out encrypted to `out`. zipfile writes a zip
    into it as it would to a pipe (it can tell, not seek)."""

    def __init__(self, out: BinaryIO, key: bytes):
        salt = os.urandom(16)
        file_key, check = _file_key(key, salt)
        self._aead = AESGCM(file_key)
        self._out = out
        self._buffer = bytearray()
        self._index = 0
        self._position = 0
        self.closed = False
        out.write(MAGIC + salt + check)

    def write(self, data) -> int:
        self._buffer += data
        self._position += len(data)
        while len(self._buffer) > CHUNK:  # keep at least one byte back: the last chunk is marked on close
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._index, last), plain, MAGIC)
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._index += 1

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._out.flush()
            self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def decrypt(source: BinaryIO, out: BinaryIO, key: bytes) -> int:
    """Decrypt a whole file into `out`; raises WrongKeyError for another key, DamagedError for a damaged file."""
    header = source.read(len(MAGIC) + 32)
    if len(header) < len(MAGIC) + 32 or not header.startswith(MAGIC):
        raise DamagedError("not an encrypted Mentora backup")
    salt, check = header[len(MAGIC):len(MAGIC) + 16], header[len(MAGIC) + 16:]
    file_key, expected = _file_key(key, salt)
    if not hmac.compare_digest(check, expected):
        raise WrongKeyError(f"this backup was made with another key than the one in {ENVIRONMENT_VARIABLE}")
    aead = AESGCM(file_key)
    index = written = 0
    while True:
        size_bytes = source.read(4)
        if len(size_bytes) < 4:
            raise DamagedError("the backup is cut short (its last part is missing)")
        (size,) = struct.unpack(">I", size_bytes)
        if size < TAG or size > CHUNK + TAG:
            raise DamagedError("the backup is damaged (a part has an impossible length)")
        sealed = source.read(size)
        if len(sealed) < size:
            raise DamagedError("the backup is cut short (its last part is missing)")
        plain = None
        for last in (False, True):
            try:
                plain = aead.decrypt(_nonce(index, last), sealed, MAGIC)
            except InvalidTag:
                continue
            break
        if plain is None:
            raise DamagedError(f"the backup is damaged (part {index + 1} fails its authentication)")
        out.write(plain)
        written += len(plain)
        index += 1
        if last:
            if source.read(1):
                raise DamagedError("the backup is damaged (data after its last part)")
            return written
