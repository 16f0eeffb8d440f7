"""Evidence files: checked, virus-scanned by a hook, stored through Django's storage API and
never served publicly (only by ``assurance.views.evidence_download``, which checks who asks).

Settings:
- ``ASSURANCE_EVIDENCE_STORAGE``: the alias of a storage in ``STORAGES`` (e.g. an
  S3-compatible one from django-storages). Unset: a local folder outside every served
  path, ``ASSURANCE_EVIDENCE_ROOT`` (default ``<project>/private/assurance-evidence``).
- ``ASSURANCE_EVIDENCE_MAX_BYTES``: the largest file accepted (default 10 MB).
- ``ASSURANCE_EVIDENCE_SCANNER``: the dotted path of a callable ``scan(file) -> None`` that
  raises ``EvidenceFileError`` (or any exception) for an infected file, e.g. one that
  sends the bytes to ClamAV's clamd. Unset: files are kept marked "not scanned".
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.module_loading import import_string

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# Extension -> (content type, how its bytes start: any of these, or None for text).
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (b"PK\x03\x04",),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "csv": ("text/csv", None),
    "txt": ("text/plain", None),
}


class EvidenceFileError(ValueError):
    """The file cannot be kept: the message says why, for the person uploading it."""


def max_bytes() -> int:
    return int(getattr(settings, "ASSURANCE_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def allowed_list() -> str:
    return ", ".join(sorted({ext.upper() for ext in ALLOWED_TYPES if ext != "jpeg"}))


class PrivateFileSystemStorage(FileSystemStorage):
    """A local folder with no public address: ``url()`` refuses."""

    def url(self, name):
        raise ValueError("Evidence files have no public address: use the evidence view.")


def evidence_storage() -> Storage:
    alias = getattr(settings, "ASSURANCE_EVIDENCE_STORAGE", None)
    if alias:
        return storages[alias]
    root = getattr(settings, "ASSURANCE_EVIDENCE_ROOT", None) or (
        Path(settings.BASE_DIR) / "private" / "assurance-evidence"
    )
    return PrivateFileSystemStorage(location=str(root))


def evidence_check(upload) -> tuple[str, str]:
    """Refuse a file of a type not allowed, too large, empty or whose bytes do not match its
    type; return (extension, content type)."""
    name = Path(upload.name or "").name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        raise EvidenceFileError(f"The file must be one of these types: {allowed_list()}.")
    if upload.size == 0:
        raise EvidenceFileError("The file is empty.")
    if upload.size > max_bytes():
        raise EvidenceFileError(
            f"The file is too large: the limit is {max_bytes() // (1024 * 1024)} MB."
        )
    content_type, signatures = ALLOWED_TYPES[ext]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures is None:
        if b"\x00" in head:
            raise EvidenceFileError(f"The file is not a {ext.upper()} text file.")
    elif not head.startswith(signatures):
        raise EvidenceFileError(
            f"The file is not a {ext.upper()} file (its contents say otherwise)."
        )
    return ext, content_type


def evidence_scan(upload) -> bool:
    """Run the virus-scan hook, if one is set: True if scanned clean, False if no scanner.
    An infected file raises ``EvidenceFileError``."""
    path = getattr(settings, "ASSURANCE_EVIDENCE_SCANNER", None)
    if not path:
        return False
    scanner = import_string(path)
    upload.seek(0)
    try:
        scanner(upload)
    except EvidenceFileError:
        raise
    except Exception as exc:
        raise EvidenceFileError(
            "The virus scan refused the file, so it was not kept. Check it and try again."
        ) from exc
    finally:
        upload.seek(0)
    return True


def evidence_store(upload, ext: str) -> str:
    """Save the file under a random name (never the uploaded one) and return that name."""
    name = f"evidence/{secrets.token_hex(16)}.{ext}"
    return evidence_storage().save(name, upload)
