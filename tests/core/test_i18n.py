"""The Vietnamese catalogue: complete, compiled, and actually served.

The .po is parsed with a tiny reader of our own (no polib dependency); the committed .mo is read with the
standard library, so a stale .mo (someone edited the .po but forgot ``make messages``) fails here.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import ocop

pytestmark = [pytest.mark.unit]

LC_MESSAGES = Path(ocop.__file__).parent / "locale" / "vi" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self) -> str:
        ctxt = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {ctxt}{self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """Read the entries of a .po file; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    entry = Entry()
    current: tuple[str, int | None] | None = None

    def flush():
        nonlocal entry, current
        if current is not None:
            entries.append(entry)
        entry, current = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            keyword, text = match.groups()
            if keyword == "msgctxt" or (keyword == "msgid" and current and current[0].startswith("msgstr")):
                flush()
            if current is None:
                entry.line = number
            value = ast.literal_eval(text)
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                entry.msgstr[index] = value
                current = ("msgstr", index)
            else:
                setattr(entry, keyword, value)
                current = (keyword, None)
        elif line.startswith('"') and current is not None:
            value = ast.literal_eval(line)
            name, index = current
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
        else:
            raise AssertionError(f"{path.name} line {number}: cannot parse {raw!r}")
    flush()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    return parse_po(PO_PATH)


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    return [e for e in po_entries if e.msgid != ""]


def test_header_declares_vietnamese_utf8_and_one_plural_form(po_entries):
    header = next(e for e in po_entries if e.msgid == "" and e.msgctxt is None)
    assert "fuzzy" not in header.flags
    lines = header.msgstr[0].splitlines()
    assert "Language: vi" in lines
    assert "Content-Type: text/plain; charset=UTF-8" in lines
    assert "Plural-Forms: nplurals=1; plural=0;" in lines


def test_catalogue_is_not_empty(messages):
    assert len(messages) > 100


def test_every_message_is_translated(messages):
    untranslated = [e.label for e in messages if not e.msgstr or any(s == "" for s in e.msgstr.values())]
    assert untranslated == []


def test_no_fuzzy_entries(po_entries):
    assert [e.label for e in po_entries if "fuzzy" in e.flags] == []


def test_plural_entries_have_exactly_one_form(messages):
    plurals = [e for e in messages if e.msgid_plural is not None]
    assert [e.label for e in plurals if set(e.msgstr) != {0}] == []


def test_placeholders_are_kept(messages):
    def placeholders(text: str) -> list[str]:
        return sorted(set(_PLACEHOLDER.findall(text)))

    broken = [e.label for e in messages if any(placeholders(s) != placeholders(e.msgid) for s in e.msgstr.values())]
    assert broken == []


def test_committed_mo_matches_po(messages):
    with MO_PATH.open("rb") as fp:
        catalog = gettext.GNUTranslations(fp)._catalog
    mismatched = []
    for e in messages:
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            if catalog.get(key) != e.msgstr[0]:
                mismatched.append(e.label)
        elif any(catalog.get((key, index)) != text for index, text in e.msgstr.items()):
            mismatched.append(e.label)
    assert mismatched == [], "django.mo is stale: run `make messages` and commit both files"
    assert len([k for k in catalog if k != ""]) == len(messages)


@pytest.mark.django_db
def test_home_page_is_vietnamese_by_default_and_english_on_request(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"

    response = client.get("/")
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()
