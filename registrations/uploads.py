"""Documents delegates upload (answers to "file" questions): what they may be, the
name they get on disk, and the one way they leave the server.

The type is read from the first bytes, never from the sender's name: a PDF called
``letter.html`` is stored as ``<random>.pdf`` and a web page called ``letter.pdf`` is
refused. Files leave only through ``file_response`` (behind a permission check in the
view), as a download with a fixed content type and ``nosniff``, so even a file that
slipped through could not run as a page. The media folder must never be served
directly by the web server (README, production section).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile, FileField
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

# First bytes -> (the extension we store, the content type we serve).
SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}
EXTENSIONS = {extension for extension, _type in SIGNATURES.values()}
CONTENT_TYPES = dict(SIGNATURES.values())


def detect_extension(content) -> str | None:
    """The stored extension for this content, or None when it is no accepted type.
    Leaves the file's position where it was."""
    position = content.tell() if hasattr(content, "tell") else 0
    content.seek(0)
    head = content.read(8)
    content.seek(position)
    for signature, (extension, _type) in SIGNATURES.items():
        if head.startswith(signature):
            return extension
    return None


def validate_upload(upload) -> None:
    """Size and type, for forms and for anything else that stores an upload."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s MB; the limit is 10 MB. Send a smaller scan or photo."),
            params={"size": f"{size / 1_048_576:.1f}"},
            code="too_big",
        )
    if detect_extension(upload) is None:
        raise ValidationError(_("Only PDF, JPEG or PNG files are accepted."), code="file_type")


def stored_name(extension: str) -> str:
    """A name of our own: random, with the extension of the detected type."""
    if extension not in EXTENSIONS:
        raise ValueError(f"not an accepted upload type: {extension!r}")
    return f"{uuid.uuid4().hex}.{extension}"


class DetectedTypeFieldFile(FieldFile):
    def save(self, name, content, save=True):
        # Whatever name the sender gave, the file is stored under ours; a type we do
        # not accept never reaches the disk, even from code that skipped the form.
        validate_upload(content)
        super().save(stored_name(detect_extension(content)), content, save=save)


class DetectedTypeFileField(FileField):
    """A FileField that names its files by their detected type (see the module doc)."""

    attr_class = DetectedTypeFieldFile


def download_name(original: str, extension: str) -> str:
    """The sender's name for the file, with the extension of what it really is."""
    stem = PurePath(original or "").stem.strip() or "document"
    return f"{stem[:80]}.{extension}"


def file_response(field_file, original_name: str) -> FileResponse:
    """The file as a download. The type comes from the bytes on disk, not from any
    name, so an older upload stored as ``document.html`` is sent as opaque bytes."""
    handle = field_file.open("rb")
    extension = detect_extension(handle)
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(original_name, extension or "bin"),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Opened by mistake inside the site, it could still do nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
