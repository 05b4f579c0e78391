"""Uploaded files checked by their content: dossier evidence and the producers' evidence vault.

Layer 0: no models. :func:`inspect_upload` accepts PDF, images (JPEG, PNG, WebP; HEIC/HEIF only when Pillow has a
HEIF plugin registered) and Office files (DOCX, XLSX, PPTX and the legacy OLE2 DOC and XLS). It refuses other types,
macro-enabled Office files, content that does not match the file name's extension, damaged files, empty files and
files over ``OCOP_MAX_IMAGE_MB`` / ``OCOP_MAX_DOCUMENT_MB``. Every refusal is a ``ValidationError`` with a ``code``
(``file_type``, ``file_content_mismatch``, ``file_size``, ``file_empty``, ``file_damaged``, ``file_macro``,
``file_encrypted``).

How the content is read, so that a large upload is never read into memory as a whole:

- the type comes from the first 8 KiB (magic bytes, the ``filetype`` package), a PDF's ``%%EOF`` from the last 8 KiB;
- an OOXML file is opened with ``zipfile`` over the file object (central directory, ``[Content_Types].xml`` and the
  first bytes of the main part only: a zip bomb is never inflated);
- an OLE2 file (DOC, XLS) is read sector by sector: header, FAT sectors on demand and the directory chain;
- an image is opened and verified by Pillow (a JPEG is decoded at 1/8 scale, which finds a truncated file); images
  over ``PIL.Image.MAX_IMAGE_PIXELS`` are refused as decompression bombs.

Known limit: Excel 4.0 (XLM) macro sheets inside a legacy ``.xls`` are not detected (that needs a BIFF parser);
VBA projects in DOC and XLS files are.
"""

from __future__ import annotations

import enum
import math
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from types import MappingProxyType

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image

MB = 1024 * 1024
HEAD_BYTES = 8192  # what the type detection reads (filetype reads no more either)
PDF_TAIL_BYTES = 8192  # where a PDF's last %%EOF must be; tolerant of trailing whitespace and padding
PDF_HEADER_WITHIN = 1024  # the PDF specification lets readers find %PDF- within the first 1,024 bytes
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
SAFE_NAME_MAX_LENGTH = 120
SAFE_NAME_FALLBACK = "tep"


class UploadKind(enum.StrEnum):
    PDF = "pdf"
    IMAGE = "image"
    OFFICE = "office"


ALL_KINDS: tuple[UploadKind, ...] = tuple(UploadKind)


@dataclass(frozen=True)
class FileType:
    """One accepted type: its canonical extension, the other spellings of that extension, kind and MIME type."""

    extension: str
    kind: UploadKind
    mime: str
    aliases: tuple[str, ...] = ()

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.aliases)


_PDF = FileType("pdf", UploadKind.PDF, "application/pdf")
_JPEG = FileType("jpg", UploadKind.IMAGE, "image/jpeg", aliases=("jpeg",))
_PNG = FileType("png", UploadKind.IMAGE, "image/png")
_WEBP = FileType("webp", UploadKind.IMAGE, "image/webp")
_HEIC = FileType("heic", UploadKind.IMAGE, "image/heic", aliases=("heif",))
_DOCX = FileType("docx", UploadKind.OFFICE, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
_XLSX = FileType("xlsx", UploadKind.OFFICE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
_PPTX = FileType("pptx", UploadKind.OFFICE, "application/vnd.openxmlformats-officedocument.presentationml.presentation")
_DOC = FileType("doc", UploadKind.OFFICE, "application/msword")
_XLS = FileType("xls", UploadKind.OFFICE, "application/vnd.ms-excel")

# Macro-enabled Office formats: named in the refusal as macros, not as an unknown type.
MACRO_EXTENSIONS = frozenset({"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "ppam"})

# Pillow's format name → canonical extension. MPO is how Pillow opens a multi-picture JPEG from some cameras.
_PILLOW_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}
# filetype's MIME type → canonical extension, for the types filetype recognises by magic bytes.
_SNIFFED_MIMES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heic",
}


def pillow_opens_heif() -> bool:
    """Whether a HEIF plugin (such as pillow-heif) is registered with Pillow, so HEIC photos can be checked."""
    return Image.registered_extensions().get(".heic") is not None


def accepted_types(kinds: Iterable[UploadKind] = ALL_KINDS) -> tuple[FileType, ...]:
    """The accepted types of the given kinds, in display order (PDF, images, Office)."""
    wanted = set(kinds)
    images = (_JPEG, _PNG, _WEBP, _HEIC) if pillow_opens_heif() else (_JPEG, _PNG, _WEBP)
    table = (_PDF, *images, _DOCX, _XLSX, _PPTX, _DOC, _XLS)
    return tuple(file_type for file_type in table if file_type.kind in wanted)


def accepted_extensions(kinds: Iterable[UploadKind] = ALL_KINDS) -> tuple[str, ...]:
    """Every accepted extension, lower case, aliases included: ``("pdf", "jpg", "jpeg", …)``."""
    return tuple(extension for file_type in accepted_types(kinds) for extension in file_type.extensions)


def max_size_mb(kind: UploadKind) -> int:
    """The size limit of a kind in MB: ``OCOP_MAX_IMAGE_MB`` for images, ``OCOP_MAX_DOCUMENT_MB`` otherwise."""
    return settings.OCOP_MAX_IMAGE_MB if kind == UploadKind.IMAGE else settings.OCOP_MAX_DOCUMENT_MB


@dataclass(frozen=True)
class UploadLimits:
    """What a page shows before the upload.

    ``extensions``: ``"PDF, JPG, JPEG, …"`` for help texts; ``accept``: the HTML ``accept`` attribute (extensions and
    MIME types, ``image/*`` when images are accepted so phones offer the camera); ``max_mb``: limit per kind in MB.
    """

    extensions: str
    accept: str
    max_mb: Mapping[UploadKind, int]


def upload_limits(kinds: Iterable[UploadKind] = ALL_KINDS) -> UploadLimits:
    """The accepted types and size limits of an upload field taking ``kinds``."""
    kinds = tuple(dict.fromkeys(kinds))
    types = accepted_types(kinds)
    extensions = [extension for file_type in types for extension in file_type.extensions]
    mimes = [file_type.mime for file_type in types if file_type.kind != UploadKind.IMAGE]
    if UploadKind.IMAGE in kinds:
        mimes.append("image/*")
    return UploadLimits(
        extensions=", ".join(extension.upper() for extension in extensions),
        accept=",".join([*(f".{extension}" for extension in extensions), *dict.fromkeys(mimes)]),
        max_mb=MappingProxyType({kind: max_size_mb(kind) for kind in UploadKind if kind in kinds}),
    )


@dataclass(frozen=True)
class UploadInfo:
    """An accepted upload: its kind, normalised extension (``jpg`` for ``.JPEG``), MIME type from the content, size
    in bytes and a safe display name (:func:`sanitize_filename`)."""

    kind: UploadKind
    extension: str
    mime: str
    size: int
    safe_name: str


# ---------------------------------------------------------------------------------------------
# File names
# ---------------------------------------------------------------------------------------------
_WINDOWS_INVALID = re.compile(r'[<>:"|?*]')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{digit}" for digit in "0123456789¹²³"}
    | {f"LPT{digit}" for digit in "0123456789¹²³"}
)
_SPACES = re.compile(r" +")
_EXTENSION = re.compile(r"[0-9A-Za-z]{1,10}")


def sanitize_filename(name: str | None) -> str:
    """A safe name to show and to offer as a download name, from a name a browser or a user sent.

    NFC-normalised (Vietnamese letters kept); only the last path part; control, format and NUL characters removed;
    whitespace collapsed to single spaces; ``<>:"|?*`` replaced with ``_``; no leading dots, no trailing dots or
    spaces; Windows device names (``CON``, ``AUX``, ``COM1`` …) prefixed with ``_``; at most 120 characters, the
    extension kept; ``tep`` when nothing is left.
    """
    text = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(" " if char.isspace() else char for char in text)
    text = "".join(char for char in text if unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"})
    text = _SPACES.sub(" ", _WINDOWS_INVALID.sub("_", text)).strip()
    stem, dot, extension = text.rpartition(".")
    if not dot or not _EXTENSION.fullmatch(extension):
        stem, extension = text, ""
    stem = stem.lstrip(". ").rstrip(". ")
    if stem.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    room = SAFE_NAME_MAX_LENGTH - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(". ") or SAFE_NAME_FALLBACK
    return f"{stem}.{extension}" if extension else stem


# ---------------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------------
_MESSAGES = {
    # vi: Không nhận tệp loại “%(extension)s”. Chỉ nhận các loại: %(allowed)s.
    "file_type": _("Files of type “%(extension)s” cannot be uploaded. Allowed types: %(allowed)s."),
    # vi: Tệp không có dữ liệu.
    "file_empty": _("The file is empty."),
    # vi: Tệp quá lớn (%(size)s MB). Dung lượng tối đa là %(limit)s MB.
    "file_size": _("The file is too large (%(size)s MB). The limit is %(limit)s MB."),
    # vi: Ảnh có quá nhiều điểm ảnh (hơn %(limit)s triệu) nên không thể kiểm tra an toàn. Hãy giảm độ phân giải
    # rồi tải lên lại.
    "file_pixels": _(
        "The image has too many pixels (more than %(limit)s million) to be checked safely. "
        "Reduce its resolution and upload it again."
    ),
    # vi: Nội dung tệp không khớp với loại tệp: tên tệp có đuôi “.%(extension)s” nhưng nội dung lại thuộc loại
    # %(detected)s.
    "file_content_mismatch": _(
        "The content of this file does not match its type: the name ends in “.%(extension)s” "
        "but the content is of type %(detected)s."
    ),
    # vi: Nội dung tệp không khớp với loại tệp: đây không phải là tệp %(expected)s hợp lệ.
    "file_content_unknown": _("The content of this file does not match its type: it is not a valid %(expected)s file."),
    # vi: Tệp bị hỏng hoặc không đầy đủ nên không mở được. Hãy lưu hoặc quét lại rồi tải lên tệp mới.
    "file_damaged": _(
        "The file is damaged or incomplete and cannot be opened. Save or scan it again and upload the new file."
    ),
    # vi: Không nhận tệp có chứa macro. Hãy lưu tài liệu ở dạng không có macro (ví dụ .docx hoặc .xlsx) rồi tải
    # lên lại.
    "file_macro": _(
        "Files containing macros cannot be uploaded. "
        "Save the document without macros (for example as .docx or .xlsx) and upload it again."
    ),
    # vi: Tệp được bảo vệ bằng mật khẩu nên không mở được. Hãy gỡ mật khẩu rồi tải lên lại.
    "file_encrypted": _(
        "This file is protected with a password and cannot be opened. Remove the password and upload it again."
    ),
}
# Message keys that share a code with another message.
_CODES = {"file_pixels": "file_size", "file_content_unknown": "file_content_mismatch"}


def _refusal(key: str, **params) -> ValidationError:
    return ValidationError(_MESSAGES[key], code=_CODES.get(key, key), params=params or None)


# ---------------------------------------------------------------------------------------------
# Inspection
# ---------------------------------------------------------------------------------------------
def inspect_upload(file, *, kinds: Iterable[UploadKind] = ALL_KINDS) -> UploadInfo:
    """Check an uploaded file of one of ``kinds`` by its name, size and content; return what was found.

    ``file`` is a Django ``UploadedFile`` or ``File`` (anything with ``name``, ``read``, ``seek`` and ideally
    ``size``). Raises ``ValidationError`` (see the module docstring for the codes). The file position is back at 0
    afterwards, whatever the outcome.
    """
    kinds = tuple(kinds)
    name = getattr(file, "name", None) or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension in MACRO_EXTENSIONS:
        raise _refusal("file_macro")
    types = accepted_types(kinds)
    expected = next((file_type for file_type in types if extension in file_type.extensions), None)
    if expected is None:
        raise _refusal(
            "file_type",
            extension=extension or PurePath(name).name,
            allowed=", ".join(extension.upper() for file_type in types for extension in file_type.extensions),
        )
    try:
        size = _size(file)
        if size == 0:
            raise _refusal("file_empty")
        limit_mb = max_size_mb(expected.kind)
        if size > limit_mb * MB:
            shown = math.ceil(size * 10 / MB) / 10  # never "10.0 MB" for a file just over a 10 MB limit
            raise _refusal("file_size", size=number_format(shown, decimal_pos=1), limit=limit_mb)
        file.seek(0)
        head = file.read(HEAD_BYTES)
        detected = _detect(file, head, size)
        if detected != expected.extension:
            if detected is None:
                raise _refusal("file_content_unknown", expected=extension.upper())
            raise _refusal("file_content_mismatch", extension=extension, detected=detected.upper())
        if expected.kind == UploadKind.IMAGE:
            _check_image(file, expected, size)
        elif expected is _PDF:
            _check_pdf(file, size)
    finally:
        file.seek(0)
    safe_name = sanitize_filename(name)
    return UploadInfo(
        kind=expected.kind, extension=expected.extension, mime=expected.mime, size=size, safe_name=safe_name
    )


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    return size


def _detect(file, head: bytes, size: int) -> str | None:
    """Canonical extension of what the content is (an accepted type or another, such as ``exe``); None if unknown.

    Macro-enabled, password-protected and damaged Office containers are refused here, whatever their name.
    """
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(file)
    if head.startswith(_OLE_SIGNATURE):
        return _detect_ole(file, size)
    guess = filetype.guess(head)
    if guess is not None:
        return _SNIFFED_MIMES.get(guess.mime, guess.extension)
    if b"%PDF-" in head[:PDF_HEADER_WITHIN]:
        return "pdf"
    return None


# OOXML -----------------------------------------------------------------------------------------
_OOXML_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "dotx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xltx",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "potx",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "ppsx",
}
# Where Word, Excel and PowerPoint put the main part (used when [Content_Types].xml names none).
_OOXML_MAIN_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
_OVERRIDE = re.compile(rb"<(?:[\w.-]+:)?Override\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"""([\w.:-]+)\s*=\s*(["'])(.*?)\2""", re.S)


def _detect_zip(file) -> str | None:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            parts = {info.filename.lower(): info for info in archive.infolist()}
            if "[content_types].xml" not in parts:
                return "zip"
            if any(part.rsplit("/", 1)[-1] == "vbaproject.bin" for part in parts):
                raise _refusal("file_macro")
            with archive.open(parts["[content_types].xml"]) as handle:
                content_types = handle.read(CONTENT_TYPES_MAX_BYTES)
            if b"macroenabled" in content_types.lower():
                raise _refusal("file_macro")
            main_part, extension = _ooxml_main_part(content_types)
            if main_part is None:
                main_part, extension = next(
                    ((part, ext) for part, ext in _OOXML_MAIN_PARTS.items() if part in parts), (None, None)
                )
            if main_part is None:
                return "zip"
            if main_part not in parts:
                raise _refusal("file_damaged")
            with archive.open(parts[main_part]) as handle:
                handle.read(1024)  # the main part must inflate: a damaged archive fails here
            return extension
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise _refusal("file_damaged") from None


def _ooxml_main_part(content_types: bytes) -> tuple[str | None, str | None]:
    """The main part (lower case, no leading slash) and the extension its content type stands for.

    Read with regular expressions, not an XML parser: the file is untrusted, and only ``Override`` elements matter.
    """
    for match in _OVERRIDE.finditer(content_types):
        attributes = {key.lower(): value for key, _quote, value in _ATTRIBUTE.findall(match[1])}
        extension = _OOXML_MAIN_TYPES.get(
            attributes.get(b"contenttype", b"").strip().lower().decode("ascii", "replace")
        )
        if extension:
            return attributes.get(b"partname", b"").decode("utf-8", "replace").lstrip("/").lower(), extension
    return None, None


# OLE2 compound files (legacy Office) ----------------------------------------------------------
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_END_OF_CHAIN = 0xFFFFFFFE
_OLE_MAX_DIRECTORY_SECTORS = 4096
_OLE_MACRO_ENTRIES = frozenset({"_VBA_PROJECT_CUR", "_VBA_PROJECT", "VBA", "Macros"})


class _Damaged(Exception):
    pass


def _detect_ole(file, size: int) -> str | None:
    try:
        names = _ole_directory_names(file, size)
    except (_Damaged, struct.error, IndexError):
        raise _refusal("file_damaged") from None
    if "EncryptedPackage" in names:  # a password-protected DOCX/XLSX/PPTX is an OLE2 wrapper around it
        raise _refusal("file_encrypted")
    if names & _OLE_MACRO_ENTRIES:
        raise _refusal("file_macro")
    if "WordDocument" in names:
        return "doc"
    if "Workbook" in names or "Book" in names:
        return "xls"
    if "PowerPoint Document" in names:
        return "ppt"
    return None


def _ole_directory_names(file, size: int) -> set[str]:
    """Names of the storages and streams in an OLE2 compound file ([MS-CFB]), reading only what is needed."""
    file.seek(0)
    header = file.read(512)
    if len(header) < 512:
        raise _Damaged
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise _Damaged
    sector_size = 1 << sector_shift
    per_sector = sector_size // 4
    sector_count = max(0, size - sector_size) // sector_size + 1
    fat_sector_count, first_directory = struct.unpack_from("<II", header, 0x2C)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
    fat_sectors = list(struct.unpack_from("<109I", header, 0x4C))

    def read_sector(number: int) -> bytes:
        if number >= sector_count:
            raise _Damaged
        file.seek((number + 1) * sector_size)
        data = file.read(sector_size)
        if not data:
            raise _Damaged
        return data.ljust(sector_size, b"\0")

    difat = first_difat
    for _index in range(min(difat_count, sector_count)):
        values = struct.unpack(f"<{per_sector}I", read_sector(difat))
        fat_sectors.extend(values[:-1])
        difat = values[-1]
    fat_sectors = fat_sectors[:fat_sector_count]
    fat_cache: dict[int, tuple[int, ...]] = {}

    def next_sector(number: int) -> int:
        index, offset = divmod(number, per_sector)
        if index not in fat_cache:
            fat_cache[index] = struct.unpack(f"<{per_sector}I", read_sector(fat_sectors[index]))
        return fat_cache[index][offset]

    names: set[str] = set()
    seen: set[int] = set()
    sector = first_directory
    while sector != _OLE_END_OF_CHAIN:
        if sector in seen or len(seen) >= _OLE_MAX_DIRECTORY_SECTORS:
            raise _Damaged  # a loop in the chain, or an absurd directory
        seen.add(sector)
        data = read_sector(sector)
        for start in range(0, sector_size, 128):
            entry = data[start : start + 128]
            name_length, entry_type = struct.unpack_from("<HB", entry, 64)
            if entry_type in (1, 2, 5) and 2 <= name_length <= 64 and name_length % 2 == 0:
                names.add(entry[: name_length - 2].decode("utf-16-le", errors="replace"))
        sector = next_sector(sector)
    if not names:
        raise _Damaged
    return names


# Content checks of the accepted types ------------------------------------------------------------
def _check_pdf(file, size: int) -> None:
    file.seek(max(0, size - PDF_TAIL_BYTES))
    if b"%%EOF" not in file.read(PDF_TAIL_BYTES):
        raise _refusal("file_damaged")


def _check_image(file, expected: FileType, size: int) -> None:
    limit = Image.MAX_IMAGE_PIXELS
    if expected is _JPEG and not _jpeg_reaches_end(file, size):
        raise _refusal("file_damaged")
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format, (width, height) = image.format, image.size
            if limit and width * height > limit:
                raise _refusal("file_pixels", limit=number_format(limit // 1_000_000))
            image.verify()
        if _PILLOW_FORMATS.get(image_format) != expected.extension:
            raise _refusal("file_damaged")
        if expected is _JPEG:
            # verify() does not decode a JPEG; decoding at 1/8 scale is cheap and finds a broken data stream.
            file.seek(0)
            with Image.open(file) as image:
                image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                image.load()
    except Image.DecompressionBombError:
        raise _refusal("file_pixels", limit=number_format(limit // 1_000_000)) from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, TypeError, ZeroDivisionError):
        raise _refusal("file_damaged") from None


_SCAN_CHUNK = 64 * 1024


def _jpeg_reaches_end(file, size: int) -> bool:
    """Whether the JPEG's markers lead to its end-of-image marker (EOI) before the file ends.

    Pillow's own truncation check can be switched off for the whole process, and WeasyPrint does so when imported
    (``ImageFile.LOAD_TRUNCATED_IMAGES = True``), so a cut-off upload is found here instead. Marker segments are
    skipped by their length (an EXIF thumbnail's EOI is not mistaken for the image's); data after the EOI (a phone's
    motion-photo video, a maker trailer) is never read.
    """
    offset = 2  # after SOI
    while True:
        found = _next_jpeg_marker(file, offset, size)
        if found is None:
            return False
        code, offset = found
        if code == 0xD9:  # EOI
            return True
        if code in (0x01, 0xD8):  # TEM, a stray SOI: no length
            continue
        file.seek(offset)
        length = file.read(2)
        if len(length) < 2 or int.from_bytes(length, "big") < 2:
            return False
        offset += int.from_bytes(length, "big")  # after SOS, the entropy-coded data is scanned by the next call


def _next_jpeg_marker(file, offset: int, size: int) -> tuple[int, int] | None:
    """The next marker at or after ``offset`` (fill bytes, stuffed 0xFF00 and restart markers skipped): its code
    and the offset just after it; None if the file ends first."""
    chunk_size = 1024  # a marker usually comes at once; the entropy-coded data is read in growing chunks
    while offset < size:
        file.seek(offset)
        chunk = file.read(chunk_size)
        chunk_size = min(chunk_size * 4, _SCAN_CHUNK)
        if len(chunk) < 2:
            return None
        index = chunk.find(b"\xff")
        while index != -1 and index + 1 < len(chunk):
            code = chunk[index + 1]
            if code == 0xFF:  # a fill byte: the marker code follows
                index += 1
            elif code == 0x00 or 0xD0 <= code <= 0xD7:  # stuffed 0xFF in entropy-coded data, restart marker
                index = chunk.find(b"\xff", index + 2)
            else:
                return code, offset + index + 2
        offset += len(chunk) - 1  # the last byte again: it may be an 0xFF whose code is in the next chunk
    return None
