"""Files attached to case data and forum records: checked, stored and served here, and only here.

Case documents (partnerships) and agenda background papers (cbcf) both go through this module, so
there is one set of rules:

- **Checked on the content, not the name.** The type comes from the file's magic bytes (the
  `filetype` library): PDF, PNG, JPEG, Word (DOCX) and Excel (XLSX). Text and CSV have no magic
  bytes: they are accepted only as UTF-8 without NUL bytes that does not start like markup (`<`
  after an optional BOM and white space: HTML, SVG, XML). The name's extension must agree with what
  the content is. Empty files and files over `ATTACHMENT_MAX_BYTES` are refused.
- **Stored outside the web root under random names** (`ATTACHMENTS_ROOT`). Nothing the user sent
  is part of the stored name, and the storage has no URL: no static, media or other route serves it.
- **Served as downloads only** (`Content-Disposition: attachment`), with the type detected at
  upload, `nosniff`, a sandboxing Content-Security-Policy and `no-store`, by views that fetch the
  parent through the selectors first, so a file is seen exactly by those who see its parent.
- **Audited**: attached, refused (with the reason) and downloaded.
"""

import codecs
import hashlib
import logging
import os
import secrets
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from partnerships.models import DOCX, XLSX, AuditEvent, StoredFile

logger = logging.getLogger(__name__)

MIB = 1024 * 1024
NAME_MAX_LENGTH = 200
CHUNK_SIZE = 64 * 1024

# What the content may be (as detected), and the extensions its name may then end in.
DETECTED_TYPES = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
}
TEXT_TYPES = {".txt": "text/plain", ".csv": "text/csv"}
EXECUTABLES = {"application/x-msdownload", "application/x-executable"}
LABELS = StoredFile.TYPE_LABELS
ACCEPT = ",".join([*(ext for exts in DETECTED_TYPES.values() for ext in exts), *TEXT_TYPES])


class AttachmentRefused(Exception):
    """A file the rules refuse; the message says why in the user's language, `reason` for the audit trail."""

    def __init__(self, message, *, reason):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def type_label(content_type):
    return LABELS.get(content_type, content_type)


def max_megabytes():
    """The size limit in MB, as a user reads it (20, or 0.5)."""
    value = settings.ATTACHMENT_MAX_BYTES / MIB
    return number_format(value, decimal_pos=0 if value == int(value) else 1)


def accepted_types_text():
    return _("PDF, PNG, JPEG, Word (DOCX), Excel (XLSX), text (TXT) or CSV")


# --- checking -------------------------------------------------------------------------------------

def clean_name(name):
    """The name to keep and to offer on download: base name only, no control or direction characters,
    at most 200 characters (the extension is kept when shortening)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp")).strip()
    if len(base) > NAME_MAX_LENGTH:
        stem, extension = os.path.splitext(base)
        extension = extension[:20]
        base = stem[:NAME_MAX_LENGTH - len(extension)] + extension
    return base


def _extension(name):
    return os.path.splitext(name)[1].lower()


def _mismatch(*, label, extension, expected):
    if extension:
        message = _("The content is %(type)s, but the name ends in %(extension)s. Name it %(expected)s.")
    else:
        message = _("The content is %(type)s, but the name has no extension. Name it %(expected)s.")
    return AttachmentRefused(message % {"type": label, "extension": extension, "expected": " / ".join(expected)},
                             reason="extension_mismatch")


def _chunks(upload):
    upload.seek(0)
    while chunk := upload.read(CHUNK_SIZE):
        yield chunk
    upload.seek(0)


def _check_text(upload, digest):
    """UTF-8 without NUL bytes that does not start like markup; hashes as it reads."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    start = ""
    try:
        for chunk in _chunks(upload):
            digest.update(chunk)
            if b"\x00" in chunk:
                raise AttachmentRefused(
                    _("The content is not one of the accepted types: %(types)s.") % {"types": accepted_types_text()},
                    reason="binary")
            text = decoder.decode(chunk)
            if not start:
                start = text.lstrip()
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise AttachmentRefused(
            _("The content is not one of the accepted types: %(types)s. Text and CSV files must be UTF-8.")
            % {"types": accepted_types_text()}, reason="not_utf8") from error
    if start.startswith("<"):
        raise AttachmentRefused(_("The content looks like HTML, SVG or XML, which is not accepted."),
                                reason="markup")


def check(upload):
    """A CheckedFile for an upload the rules accept; AttachmentRefused (saying why) otherwise."""
    name = clean_name(upload.name)
    if not name:
        raise AttachmentRefused(_("The file has no name."), reason="no_name")
    size = upload.size or 0
    if size == 0:
        raise AttachmentRefused(_("The file is empty."), reason="empty")
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise AttachmentRefused(_("The file is larger than the limit of %(limit)s MB.") % {"limit": max_megabytes()},
                                reason="too_large")
    extension = _extension(name)
    digest = hashlib.sha256()
    upload.seek(0)
    detected = filetype.guess(upload.read(8192))
    if detected is None:
        _check_text(upload, digest)
        if extension not in TEXT_TYPES:
            raise _mismatch(label=_("plain text"), extension=extension, expected=list(TEXT_TYPES))
        content_type = TEXT_TYPES[extension]
    else:
        content_type = detected.mime
        if content_type in EXECUTABLES:
            raise AttachmentRefused(_("The content is a program (%(type)s): programs are not accepted.")
                                    % {"type": content_type}, reason="executable")
        if content_type not in DETECTED_TYPES:
            raise AttachmentRefused(
                _("The content is %(type)s, which is not accepted. Accepted: %(types)s.")
                % {"type": f"{content_type} (.{detected.extension})", "types": accepted_types_text()},
                reason="type_not_allowed")
        if extension not in DETECTED_TYPES[content_type]:
            raise _mismatch(label=type_label(content_type), extension=extension,
                            expected=list(DETECTED_TYPES[content_type]))
        for chunk in _chunks(upload):
            digest.update(chunk)
    return CheckedFile(name=name, content_type=content_type, size=size, sha256=digest.hexdigest())


# --- storing --------------------------------------------------------------------------------------

class AttachmentStorage(FileSystemStorage):
    """ATTACHMENTS_ROOT, outside the web root. It has no URL: the download views serve its files."""

    def __init__(self):
        super().__init__(location=settings.ATTACHMENTS_ROOT, base_url=None,
                         file_permissions_mode=0o640, directory_permissions_mode=0o750)

    def url(self, name):
        raise NotImplementedError("Attachments have no URL: only the download views serve them.")


def storage():
    # Built on each use so that ATTACHMENTS_ROOT is read when it is used (tests change it).
    return AttachmentStorage()


def random_name():
    """A stored name with no part of what the user sent: two-level fan-out, 128 random bits."""
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}"


def attach(*, upload, by, create, door, object_type, case=None, **detail):
    """Check the upload, store it and record it with `create(**fields)` (which writes the row).

    Refused: recorded as refused (with the reason) and AttachmentRefused raised, nothing stored.
    Accepted: the file is written first; if the row or its audit record cannot be written, the file
    is removed again, so nothing is ever half-saved.
    """
    from partnerships import audit
    from partnerships.access import agency_of

    Action, Outcome = AuditEvent.Action, AuditEvent.Outcome
    try:
        checked = check(upload)
    except AttachmentRefused as refusal:
        audit.record(action=Action.DOCUMENT_REFUSED, door=door, user=by, case=case, object_type=object_type,
                     outcome=Outcome.FAILURE, reason=refusal.reason, file=clean_name(upload.name),
                     size=upload.size or 0, **detail)
        raise
    files = storage()
    stored_name = files.save(random_name(), upload)
    try:
        with transaction.atomic():
            attachment = create(original_name=checked.name, content_type=checked.content_type, size=checked.size,
                                sha256=checked.sha256, stored_name=stored_name, uploaded_by=by,
                                uploaded_by_agency=agency_of(by))
            audit.record(action=Action.DOCUMENT_UPLOAD, door=door, user=by, case=case, object_type=object_type,
                         object_ref=attachment.pk, file=checked.name, content_type=checked.content_type,
                         size=checked.size, sha256=checked.sha256, **detail)
    except BaseException:
        files.delete(stored_name)
        raise
    return attachment


# --- reading the text, for the search ---------------------------------------------------------------

PDF_PAGES_MAX = 1000


def extract_text(attachment, *, limit):
    """The text of a stored PDF or text file, at most `limit` characters; "" for other types (images, office files)
    and for a PDF whose text cannot be read (scanned pages, damage, encryption): the search then finds it by name.
    """
    if attachment.content_type in TEXT_TYPES.values():
        with storage().open(attachment.stored_name, "rb") as handle:
            text = handle.read(limit * 4).decode("utf-8-sig", errors="ignore")
    elif attachment.content_type == "application/pdf":
        text = _pdf_text(attachment, limit)
    else:
        return ""
    return text.replace("\x00", "")[:limit]


def _pdf_text(attachment, limit):
    from pypdf import PdfReader

    parts, length = [], 0
    try:
        with storage().open(attachment.stored_name, "rb") as handle:
            reader = PdfReader(handle)
            for page in reader.pages[:PDF_PAGES_MAX]:
                text = page.extract_text() or ""
                parts.append(text)
                length += len(text) + 1
                if length >= limit:
                    break
    except Exception:  # pypdf raises many kinds on damaged or hostile files: the document stays findable by name
        logger.warning("No text read from PDF %s #%s", type(attachment).__name__, attachment.pk, exc_info=True)
        return ""
    return "\n".join(parts)


# --- serving --------------------------------------------------------------------------------------

def download(attachment, *, by, door, object_type, case=None, **detail):
    """The file as a download, recorded. The caller has fetched `attachment` through the selectors."""
    from partnerships import audit

    try:
        handle = storage().open(attachment.stored_name, "rb")
    except FileNotFoundError as missing:
        logger.error("Attachment file missing: %s #%s (%s)", object_type, attachment.pk, attachment.stored_name)
        raise Http404 from missing
    audit.record(action=AuditEvent.Action.DOCUMENT_DOWNLOAD, door=door, user=by, case=case, object_type=object_type,
                 object_ref=attachment.pk, file=attachment.original_name, sha256=attachment.sha256, **detail)
    content_type = attachment.content_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store"
    return response
