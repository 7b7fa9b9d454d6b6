"""Checking uploaded files by what they contain (not by their name or declared type) and by size.

    from mentora.core.uploads import validate_upload, UploadValidator

    kind = validate_upload(request.FILES["file"], kinds={"csv", "xlsx"}, max_bytes=5 * 1024 * 1024)
    # or on a form field:
    file = forms.FileField(validators=[UploadValidator(kinds={"pdf"}, max_bytes=10 * 1024 * 1024)])

Raises django.core.exceptions.ValidationError with a message a person can act on.

Uploaded files are kept by PrivateUploadStorage (the default storage, under MEDIA_ROOT, outside the
web root): it has no URL for a file, so nothing links to one by accident. A view that has checked who
may read the file hands it out with attachment_response (as a download, with the Content-Type of the
kind the content was recognised as, never one the uploader declared).
"""

import io
import re
import zipfile
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible

KINDS = {
    "pdf": "PDF document",
    "png": "PNG image",
    "jpeg": "JPEG image",
    "gif": "GIF image",
    "csv": "CSV (text) file",
    "xlsx": "Excel workbook (.xlsx)",
    "docx": "Word document (.docx)",
    "xml": "XML document",
}
MIME_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xml": "application/xml",
}
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "gif": ".gif", "csv": ".csv", "xlsx": ".xlsx",
              "docx": ".docx", "xml": ".xml"}
SNIFF_BYTES = 8192
# An XML document: its declaration, or a first element that declares a namespace (SAML metadata often
# has no declaration). Other text that starts with "<" (an HTML page) stays text.
_XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:\?xml[\s?]|[A-Za-z_][\w.:-]*\s[^>]*\bxmlns\b)")


def sniff(head: bytes, file=None) -> str | None:
    """The kind of file these first bytes (and, for zip-based formats, the whole file) show, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"PK\x03\x04") and file is not None:
        return _office_kind(file)
    if _is_text(head):
        return "xml" if _XML_START.match(head) else "csv"
    return None


def _office_kind(file) -> str | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    if any(name.startswith("word/") for name in names):
        return "docx"
    return None


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(ord(ch) < 32 and ch not in "\t\r\n\f" for ch in text)
    # cp1252/latin-1 exports: accept when no control characters appear
    return not any(byte < 32 and byte not in b"\t\r\n\f" for byte in head)


def validate_upload(uploaded, *, kinds: Iterable[str], max_bytes: int) -> str:
    """The detected kind of an uploaded file; ValidationError if too big, empty, or of another kind."""
    allowed = set(kinds)
    unknown = allowed - set(KINDS)
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, io.SEEK_END)
        size = uploaded.tell()
    if size == 0:
        raise ValidationError("The file is empty.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            f"The file is too large ({_human(size)}); the limit is {_human(max_bytes)}.", code="too_large"
        )
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    kind = sniff(head, uploaded)
    if kind not in allowed:
        expected = " or ".join(KINDS[k] for k in sorted(allowed))
        found = KINDS.get(kind, "an unrecognised kind of file") if kind else "an unrecognised kind of file"
        article = "an" if expected[:1].lower() in "aeiox" else "a"  # "an XML document", "a PDF document"
        raise ValidationError(f"This file is {found}; upload {article} {expected}.", code="wrong_type")
    return kind


def _human(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"


@deconstructible
class UploadValidator:
    def __init__(self, *, kinds: Iterable[str], max_bytes: int):
        self.kinds = frozenset(kinds)
        self.max_bytes = max_bytes

    def __call__(self, uploaded) -> None:
        validate_upload(uploaded, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and (self.kinds, self.max_bytes) == (other.kinds, other.max_bytes)


class PrivateUploadStorage(FileSystemStorage):
    """Uploaded files, outside the web root. There is no URL for them: a permission-checked view serves each."""

    def url(self, name):
        raise ValueError("Uploaded files have no public address; link to the view that checks who may read them")


def download_name(name: str, kind: str) -> str:
    """A file name safe for a Content-Disposition header, ending in the extension of the recognised kind."""
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = re.sub(r"[^\w .()-]+", "", stem).strip(" .") or "document"
    return f"{stem[:100]}{EXTENSIONS.get(kind, '')}"


def attachment_response(file, *, kind: str, filename: str) -> FileResponse:
    """Hand out an uploaded file as a download that no browser renders or sniffs."""
    response = FileResponse(file, as_attachment=True, filename=download_name(filename, kind),
                            content_type=MIME_TYPES.get(kind, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def image_response(file, *, kind: str, max_age: int = 3600) -> FileResponse:
    """Hand out an image that Mentora re-encoded itself (a profile photo) to be shown in the page.

    Only for files whose content Mentora wrote: an uploaded file as it came is an attachment_response.
    Private caching only (the viewer's browser, never a shared cache): the address carries a version.
    """
    if kind not in {"png", "jpeg", "gif"}:
        raise ValueError(f"not an image kind: {kind}")
    response = FileResponse(file, content_type=MIME_TYPES[kind])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = f"private, max-age={int(max_age)}"
    return response
