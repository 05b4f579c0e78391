"""ocop.core.uploads: uploads checked by their content, and safe file names.

Every sample is made here: PDF bytes, Pillow images, python-docx and openpyxl documents, hand-built ZIP and OLE2
files. Messages are compared in English (their msgids); the Vietnamese comes from the catalogue.
"""

import contextlib
import io
import os
import struct
import unicodedata
import zipfile

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils.translation import override
from PIL import Image, ImageFile

from ocop.core import uploads
from ocop.core.uploads import (
    UploadInfo,
    UploadKind,
    UploadLimits,
    accepted_extensions,
    inspect_upload,
    sanitize_filename,
    upload_limits,
)
from ocop.producers.validators import ALLOWED_DOCUMENT_EXTENSIONS, validate_document_file

pytestmark = [pytest.mark.unit]

MB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ALLOWED = "PDF, JPG, JPEG, PNG, WEBP, DOCX, XLSX, PPTX, DOC, XLS"
MISMATCH = (
    "The content of this file does not match its type: the name ends in “.%(extension)s” "
    "but the content is of type %(detected)s."
)
NOT_VALID = "The content of this file does not match its type: it is not a valid %(expected)s file."
DAMAGED = "The file is damaged or incomplete and cannot be opened. Save or scan it again and upload the new file."
MACRO = (
    "Files containing macros cannot be uploaded. "
    "Save the document without macros (for example as .docx or .xlsx) and upload it again."
)


# Samples ---------------------------------------------------------------------------------------


def image(image_format: str, size=(64, 48), noise=False, **options) -> bytes:
    picture = (
        Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
        if noise
        else Image.new("RGB", size, (180, 30, 40))
    )
    buffer = io.BytesIO()
    picture.save(buffer, image_format, **options)
    return buffer.getvalue()


def with_exif_thumbnail(jpeg: bytes) -> bytes:
    """The JPEG with an APP1 segment holding a small JPEG, as cameras write: its own EOI comes before the image's."""
    payload = b"Exif\0\0" + image("JPEG", (8, 8))
    return jpeg[:2] + b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload + jpeg[2:]


def word_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def workbook(extra: dict[str, bytes] | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Doanh thu 2025"
    buffer = io.BytesIO()
    book.save(buffer)
    return rezip(buffer.getvalue(), add=extra or {}) if extra else buffer.getvalue()


def make_zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def rezip(data: bytes, *, add: dict[str, bytes] | None = None, replace: dict[bytes, bytes] | None = None) -> bytes:
    """A copy of an OOXML file with parts added and text replaced in [Content_Types].xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    for old, new in (replace or {}).items():
        entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(old, new)
    return make_zip({**entries, **(add or {})})


def content_types(*overrides: tuple[str, str]) -> bytes:
    parts = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{parts}</Types>"
    ).encode()


def presentation() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    return make_zip(
        {
            "[Content_Types].xml": content_types(("/ppt/presentation.xml", main)),
            "_rels/.rels": b"<Relationships/>",
            "ppt/presentation.xml": b"<p:presentation/>",
        }
    )


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END_OF_CHAIN, FREE, FAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def ole(*streams: str, storages: tuple[str, ...] = (), first_directory=1, loop=False, padding=0) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors): sector 0 holds the FAT, then the directory sectors."""
    entries = [("Root Entry", 5), *((name, 2) for name in streams), *((name, 1) for name in storages)]
    directory_sectors = -(-len(entries) // 4)
    chain = [*range(2, directory_sectors + 1), END_OF_CHAIN]
    if loop:
        chain[-1] = 1
    fat = [FAT_SECTOR, *chain]
    fat += [FREE] * (128 - len(fat))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        OLE_SIGNATURE,
        bytes(16),
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        bytes(6),
        0,
        1,
        first_directory,
        0,
        4096,
        END_OF_CHAIN,
        0,
        END_OF_CHAIN,
        0,
        0,
        *([FREE] * 108),
    )
    directory = b""
    for name, kind in entries:
        encoded = name.encode("utf-16-le") + b"\0\0"
        directory += struct.pack(
            "<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, FREE, FREE, FREE, bytes(16), 0, 0, 0, 0, 0
        )
    directory = directory.ljust(directory_sectors * 512, b"\0")
    return header + struct.pack("<128I", *fat) + directory + bytes(padding)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(name: str, content: bytes, **kwargs) -> tuple[str, list[str]]:
    with override("en"):
        with pytest.raises(ValidationError) as info:
            inspect_upload(upload(name, content), **kwargs)
        return info.value.code, info.value.messages


class TrackedFile(io.BytesIO):
    """A file that records how many bytes were read from it."""

    def __init__(self, name: str, content: bytes):
        super().__init__(content)
        self.name, self.size, self.total_read = name, len(content), 0

    def read(self, size=-1):
        data = super().read(size)
        self.total_read += len(data)
        return data


# Accepted types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Giấy chứng nhận ATTP.pdf", PDF, (UploadKind.PDF, "pdf", "application/pdf")),
        ("ảnh sản phẩm.JPG", image("JPEG"), (UploadKind.IMAGE, "jpg", "image/jpeg")),
        ("anh.jpeg", image("JPEG"), (UploadKind.IMAGE, "jpg", "image/jpeg")),
        ("progressive.jpg", image("JPEG", noise=True, progressive=True), (UploadKind.IMAGE, "jpg", "image/jpeg")),
        ("restart.jpg", image("JPEG", noise=True, restart_marker_blocks=1), (UploadKind.IMAGE, "jpg", "image/jpeg")),
        ("exif.jpg", with_exif_thumbnail(image("JPEG", noise=True)), (UploadKind.IMAGE, "jpg", "image/jpeg")),
        (
            "motion.jpg",
            image("JPEG") + b"\x00\x00\x00\x18ftypmp42" + os.urandom(4000),
            (UploadKind.IMAGE, "jpg", "image/jpeg"),
        ),
        ("nhan.png", image("PNG"), (UploadKind.IMAGE, "png", "image/png")),
        ("bao-bi.webp", image("WEBP"), (UploadKind.IMAGE, "webp", "image/webp")),
        ("Thuyết minh.docx", word_document(), (UploadKind.OFFICE, "docx", DOCX_MIME)),
        ("Doanh thu.xlsx", workbook(), (UploadKind.OFFICE, "xlsx", XLSX_MIME)),
        ("Giới thiệu.pptx", presentation(), (UploadKind.OFFICE, "pptx", PPTX_MIME)),
        (
            "Công văn cũ.doc",
            ole("WordDocument", "1Table", "\x05SummaryInformation"),
            (UploadKind.OFFICE, "doc", "application/msword"),
        ),
        ("Bảng kê.xls", ole("Workbook"), (UploadKind.OFFICE, "xls", "application/vnd.ms-excel")),
        ("excel95.XLS", ole("Book"), (UploadKind.OFFICE, "xls", "application/vnd.ms-excel")),
    ],
)
def test_each_accepted_type_is_accepted_with_its_kind_and_mime(name, content, expected):
    kind, extension, mime = expected
    assert inspect_upload(upload(name, content)) == UploadInfo(
        kind=kind, extension=extension, mime=mime, size=len(content), safe_name=unicodedata.normalize("NFC", name)
    )


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf" + PDF,  # a byte-order mark before the header
        b"\r\n\r\n" + PDF,  # blank lines before the header (within the first 1,024 bytes)
        PDF + b"\r\n\x00\x00  \n",  # padding after %%EOF
        PDF + b"2 0 obj << >> endobj\nxref\ntrailer << >>\n%%EOF",  # an incremental update without a final newline
        PDF.replace(b"%%EOF\n", b"\n" + b"0" * 6000 + b"\n%%EOF\n"),  # a larger file
    ],
)
def test_a_pdf_is_recognised_tolerantly(content):
    assert inspect_upload(upload("scan.pdf", content)).kind == UploadKind.PDF


def test_a_docx_whose_main_part_has_another_name_is_recognised_from_its_content_types():
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    content = make_zip(
        {"[Content_Types].xml": content_types(("/word/document2.xml", main)), "word/document2.xml": b"<w:document/>"}
    )
    assert inspect_upload(upload("online.docx", content)).extension == "docx"


def test_an_ooxml_file_without_an_override_for_its_main_part_is_recognised_by_the_usual_part_name():
    content = make_zip({"[Content_Types].xml": content_types(), "xl/workbook.xml": b"<workbook/>"})
    assert inspect_upload(upload("bang.xlsx", content)).extension == "xlsx"


def test_a_stored_uncompressed_docx_is_accepted():
    with zipfile.ZipFile(io.BytesIO(word_document())) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    assert inspect_upload(upload("a.docx", make_zip(entries, zipfile.ZIP_STORED))).extension == "docx"


def test_a_legacy_document_with_a_directory_over_several_sectors_is_read_along_its_chain():
    streams = [f"Stream {index}" for index in range(8)]
    content = ole(*streams, "WordDocument")  # the tenth entry: in the third directory sector
    assert inspect_upload(upload("cu.doc", content)).extension == "doc"


def test_the_kinds_restrict_the_accepted_types():
    assert inspect_upload(upload("a.png", image("PNG")), kinds=[UploadKind.IMAGE]).kind == UploadKind.IMAGE
    assert refusal("a.pdf", PDF, kinds=[UploadKind.IMAGE]) == (
        "file_type",
        ["Files of type “pdf” cannot be uploaded. Allowed types: JPG, JPEG, PNG, WEBP."],
    )
    assert refusal("a.jpg", image("JPEG"), kinds=("pdf", "office")) == (
        "file_type",
        ["Files of type “jpg” cannot be uploaded. Allowed types: PDF, DOCX, XLSX, PPTX, DOC, XLS."],
    )


# Refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("virus.exe", "exe"),
        ("ghi chú.txt", "txt"),
        ("scan.PDF.zip", "zip"),
        ("noextension", "noextension"),
        ("hoat-hinh.gif", "gif"),
        ("iphone.HEIC", "heic"),
        ("Bảng tính.ods", "ods"),
        ("slides.ppt", "ppt"),
    ],
)
def test_a_type_that_is_not_accepted_is_refused_by_its_name(name, shown):
    assert refusal(name, PDF) == (
        "file_type",
        [f"Files of type “{shown}” cannot be uploaded. Allowed types: {ALLOWED}."],
    )


@pytest.mark.parametrize(
    ("name", "content", "detected"),
    [
        ("chung-nhan.pdf", image("PNG"), "PNG"),
        ("anh.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200), "EXE"),
        ("anh.png", image("JPEG"), "JPG"),
        ("anh.webp", PDF, "PDF"),
        ("bang.xlsx", word_document(), "DOCX"),
        ("thuyet-minh.docx", workbook(), "XLSX"),
        ("ho-so.docx", make_zip({"ho-so.pdf": PDF}), "ZIP"),
        ("bang.xlsx", make_zip({"data.csv": b"a,b\n1,2\n"}), "ZIP"),
        ("bang.xlsx", make_zip({"[Content_Types].xml": content_types(), "data.xml": b"<x/>"}), "ZIP"),
        ("cu.doc", ole("Workbook"), "XLS"),
        ("cu.xls", ole("WordDocument"), "DOC"),
        ("cu.doc", ole("PowerPoint Document"), "PPT"),
        ("anh.jpg", image("GIF"), "GIF"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content, detected):
    extension = name.rsplit(".", 1)[1]
    assert refusal(name, content) == (
        "file_content_mismatch",
        [MISMATCH % {"extension": extension, "detected": detected}],
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("ho-so.docx", "Đây là một tệp văn bản, không phải tài liệu Word.".encode(), "DOCX"),
        ("scan.pdf", b"Not a PDF at all\n%%EOF\n", "PDF"),
        ("anh.JPG", b"\x00" * 100, "JPG"),
        ("cu.doc", ole("Contents"), "DOC"),
    ],
)
def test_content_of_no_known_type_is_refused_as_not_matching(name, content, expected):
    assert refusal(name, content) == ("file_content_mismatch", [NOT_VALID % {"expected": expected}])


@pytest.mark.parametrize("name", ["bao-cao.docm", "Bảng tính.XLSM", "mau.dotm", "slides.pptm", "so-lieu.xlsb"])
def test_a_macro_enabled_office_name_is_refused_as_a_macro_file(name):
    assert refusal(name, word_document()) == ("file_macro", [MACRO])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ho-so.docx", rezip(word_document(), add={"word/vbaProject.bin": b"\xcc" * 64})),
        ("bang.xlsx", workbook(extra={"xl/vbaProject.bin": b"\xcc" * 64})),
        (
            "bang.xlsx",
            rezip(
                workbook(),
                replace={
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
                        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
                    )
                },
            ),
        ),
        (
            "ho-so.docx",
            rezip(
                word_document(),
                replace={
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
                        b"application/vnd.ms-word.document.macroEnabled.main+xml"
                    )
                },
            ),
        ),
        ("ho-so.pdf", rezip(word_document(), add={"word/vbaProject.bin": b"\xcc"})),  # whatever the name
        ("cu.doc", ole("WordDocument", "1Table", storages=("Macros", "VBA"))),
        ("cu.xls", ole("Workbook", storages=("_VBA_PROJECT_CUR",))),
    ],
)
def test_content_with_macros_is_refused(name, content):
    assert refusal(name, content) == ("file_macro", [MACRO])


def test_a_password_protected_office_file_is_refused():
    content = ole("EncryptionInfo", "EncryptedPackage", storages=("\x06DataSpaces",))
    assert refusal("hop-dong.docx", content) == (
        "file_encrypted",
        ["This file is protected with a password and cannot be opened. Remove the password and upload it again."],
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.jpg", image("JPEG", (320, 240), noise=True)[:3000]),  # truncated in the middle of the scan
        ("anh.jpg", image("JPEG", (320, 240), noise=True)[:-2]),  # only the end-of-image marker missing
        (
            "anh.jpg",
            with_exif_thumbnail(image("JPEG", (320, 240), noise=True))[:4000],
        ),  # the thumbnail's EOI is not the end
        ("anh.jpg", image("JPEG", (320, 240), noise=True, progressive=True)[:6000]),
        ("anh.jpg", b"\xff\xd8\xff\xe0" + bytes(500)),  # a JPEG signature and nothing readable
        ("anh.png", image("PNG", (120, 90), noise=True)[:2000]),
        ("anh.webp", image("WEBP", (120, 90), noise=True)[:200]),
        ("scan.pdf", PDF[:-7]),  # no %%EOF: the upload was cut short
        ("scan.pdf", PDF.replace(b"%%EOF\n", b"") + b"0" * 9000),  # %%EOF not near the end
        ("thuyet-minh.docx", word_document()[:5000]),  # no central directory
        ("thuyet-minh.docx", word_document().replace(b"PK\x01\x02", b"PK\x01\x09")),  # a broken central directory
        (
            "bang.xlsx",
            make_zip(
                {
                    "[Content_Types].xml": content_types(
                        (
                            "/xl/workbook.xml",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                        )
                    )
                }
            ),
        ),  # the declared main part is missing
        ("cu.doc", ole("WordDocument", first_directory=40)),  # the directory is past the end of the file
        ("cu.doc", ole(*[f"S{index}" for index in range(6)], "WordDocument", loop=True)),  # a loop in the chain
        ("cu.doc", ole("WordDocument")[:700]),  # truncated
        ("cu.doc", OLE_SIGNATURE + bytes(100)),  # a header only
    ],
)
@pytest.mark.parametrize("load_truncated_images", [False, True])
def test_a_damaged_file_is_refused(monkeypatch, name, content, load_truncated_images):
    """Also when Pillow is told to load truncated images, as WeasyPrint tells it process-wide when imported."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", load_truncated_images)
    assert refusal(name, content) == ("file_damaged", [DAMAGED])


def test_an_empty_file_is_refused():
    assert refusal("Giấy chứng nhận.pdf", b"") == ("file_empty", ["The file is empty."])


@override_settings(OCOP_MAX_DOCUMENT_MB=1, OCOP_MAX_IMAGE_MB=2)
def test_the_size_limit_depends_on_the_kind():
    at_limit = PDF.replace(b"%%EOF", b"%" + b"0" * (MB - len(PDF) - 2) + b"\n%%EOF")
    assert len(at_limit) == MB
    assert inspect_upload(upload("scan.pdf", at_limit)).size == MB
    assert refusal("scan.pdf", at_limit + b"\n") == (
        "file_size",
        ["The file is too large (1.1 MB). The limit is 1 MB."],
    )
    assert refusal("bang.xlsx", workbook(extra={"xl/media/big.bin": os.urandom(MB)})) == (
        "file_size",
        ["The file is too large (1.1 MB). The limit is 1 MB."],
    )
    photo = image("PNG", (900, 900), noise=True)  # about 2.3 MB
    assert 2 * MB < len(photo) < 2.5 * MB
    assert refusal("anh.png", photo) == ("file_size", ["The file is too large (2.4 MB). The limit is 2 MB."])
    assert inspect_upload(upload("anh.png", image("PNG", (700, 700), noise=True))).kind == UploadKind.IMAGE


def test_the_size_is_checked_before_the_content():
    with override_settings(OCOP_MAX_DOCUMENT_MB=1):
        assert refusal("virus.pdf", b"MZ" + bytes(2 * MB))[0] == "file_size"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("size", [(1100, 1000), (1500, 1500)])
def test_an_image_with_too_many_pixels_is_refused(monkeypatch, size):
    """Over MAX_IMAGE_PIXELS (our check) and over twice that (Pillow's DecompressionBombError)."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    assert refusal("anh.png", image("PNG", size)) == (
        "file_size",
        [
            "The image has too many pixels (more than 1 million) to be checked safely. "
            "Reduce its resolution and upload it again."
        ],
    )


def test_heic_is_accepted_only_when_pillow_can_open_it(monkeypatch):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
    assert "heic" not in accepted_extensions()
    assert refusal("iphone.heic", heic)[0] == "file_type"

    monkeypatch.setattr(uploads, "pillow_opens_heif", lambda: True)
    assert accepted_extensions([UploadKind.IMAGE]) == ("jpg", "jpeg", "png", "webp", "heic", "heif")
    assert upload_limits([UploadKind.IMAGE]).extensions == "JPG, JPEG, PNG, WEBP, HEIC, HEIF"
    # The detection finds HEIC; this Pillow has no HEIF plugin really, so it cannot open the file.
    assert refusal("iphone.heic", heic) == ("file_damaged", [DAMAGED])
    assert refusal("iphone.jpg", heic) == (
        "file_content_mismatch",
        [MISMATCH % {"extension": "jpg", "detected": "HEIC"}],
    )


# File handling ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("scan.pdf", PDF), ("anh.jpg", image("JPEG")), ("anh.pdf", image("PNG")), ("a.docx", word_document())],
)
def test_the_file_position_is_back_at_the_start_afterwards(name, content):
    file = upload(name, content)
    file.read(10)  # a caller already read from it: the check starts from the beginning anyway
    with contextlib.suppress(ValidationError):
        inspect_upload(file)
    assert file.tell() == 0
    assert file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", PDF.replace(b"%%EOF", b"%" + b"0" * (5 * MB) + b"\n%%EOF")),
        ("bang.xlsx", workbook(extra={"xl/media/big.bin": os.urandom(5 * MB)})),
        ("cu.doc", ole("WordDocument", padding=5 * MB)),
        ("anh.jpg", image("JPEG", (64, 48)) + bytes(5 * MB)),  # a trailer after the image, as some phones write
    ],
)
def test_a_large_file_is_not_read_whole(name, content):
    file = TrackedFile(name, content)
    with override_settings(OCOP_MAX_DOCUMENT_MB=10, OCOP_MAX_IMAGE_MB=10):
        inspect_upload(file)
    assert (file.total_read < 256 * 1024, file.tell()) == (True, 0)


def test_a_file_without_a_size_attribute_is_measured():
    file = io.BytesIO(PDF)
    file.name = "scan.pdf"
    assert inspect_upload(file).size == len(PDF)


def test_the_producer_validator_delegates_to_inspect_upload():
    assert accepted_extensions() == ALLOWED_DOCUMENT_EXTENSIONS
    assert validate_document_file(upload("Chứng nhận VietGAP.pdf", PDF)) == UploadInfo(
        kind=UploadKind.PDF, extension="pdf", mime="application/pdf", size=len(PDF), safe_name="Chứng nhận VietGAP.pdf"
    )
    with override("en"):
        with pytest.raises(ValidationError) as info:
            validate_document_file(upload("Chứng nhận VietGAP.pdf", image("PNG")))
        assert (info.value.code, info.value.messages) == (
            "file_content_mismatch",
            [MISMATCH % {"extension": "pdf", "detected": "PNG"}],
        )


# Limits shown before the upload ------------------------------------------------------------------


def test_upload_limits_for_every_kind():
    with override_settings(OCOP_MAX_DOCUMENT_MB=20, OCOP_MAX_IMAGE_MB=10):
        limits = upload_limits()
    assert limits == UploadLimits(
        extensions=ALLOWED,
        accept=(
            ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,.pptx,.doc,.xls,"
            f"application/pdf,{DOCX_MIME},{XLSX_MIME},{PPTX_MIME},application/msword,application/vnd.ms-excel,image/*"
        ),
        max_mb={UploadKind.PDF: 20, UploadKind.IMAGE: 10, UploadKind.OFFICE: 20},
    )
    assert limits.max_mb["image"] == 10  # string keys work, as in a template


def test_upload_limits_for_photos_only():
    with override_settings(OCOP_MAX_IMAGE_MB=5):
        limits = upload_limits([UploadKind.IMAGE])
    assert (limits.extensions, limits.accept, dict(limits.max_mb)) == (
        "JPG, JPEG, PNG, WEBP",
        ".jpg,.jpeg,.png,.webp,image/*",
        {UploadKind.IMAGE: 5},
    )


# Safe file names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Giấy chứng nhận ATTP.pdf", "Giấy chứng nhận ATTP.pdf"),
        (unicodedata.normalize("NFD", "Giấy chứng nhận ATTP.pdf"), "Giấy chứng nhận ATTP.pdf"),  # as macOS sends it
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Lan\\Desktop\\Hồ sơ OCOP.docx", "Hồ sơ OCOP.docx"),
        ("a\x00b.pdf", "ab.pdf"),
        ("con:aux?.pdf", "con_aux_.pdf"),
        ('a<b>c|d*e"f.png', "a_b_c_d_e_f.png"),
        ("CON.pdf", "_CON.pdf"),
        ("lpt1", "_lpt1"),
        ("nul.tar.gz", "_nul.tar.gz"),
        ("console.pdf", "console.pdf"),
        ("  Báo   cáo\t2025 .xlsx", "Báo cáo 2025.xlsx"),
        ("Biên\r\nbản\u00a0họp.pdf", "Biên bản họp.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        (".pdf", "tep.pdf"),
        ("báo cáo.pdf.", "báo cáo.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),  # a right-to-left override cannot disguise the extension
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        ("", "tep"),
        (None, "tep"),
        ("\x00\x01\x02", "tep"),
        ("...", "tep"),
        ("/", "tep"),
    ],
)
def test_sanitize_filename(name, expected):
    assert sanitize_filename(name) == expected


def test_sanitize_filename_limits_the_length_and_keeps_the_extension():
    assert sanitize_filename("a" * 300 + ".pdf") == "a" * 116 + ".pdf"
    assert sanitize_filename("Đ" * 300 + ".docx") == "Đ" * 115 + ".docx"
    assert sanitize_filename("Giấy chứng nhận " * 30 + ".docx") == ("Giấy chứng nhận " * 8)[:115].rstrip() + ".docx"
    assert sanitize_filename("x" * 300) == "x" * 120
    assert sanitize_filename("ten." + "e" * 300) == "ten." + "e" * 116  # not an extension: cut like any name


def test_sanitize_filename_is_idempotent():
    for name in ["Giấy chứng nhận ATTP.pdf", "../../etc/passwd", "con:aux?.pdf", "CON.pdf", "a" * 300 + ".pdf"]:
        once = sanitize_filename(name)
        assert sanitize_filename(once) == once
