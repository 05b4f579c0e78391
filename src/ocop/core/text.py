"""Vietnamese text folding for diacritics-insensitive search that behaves the same on SQLite and
PostgreSQL (stack.md "Vietnamese text"): the folded form is stored in a ``*_folded`` column."""

import unicodedata

_CONTROL_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def fold_vi(text: str | None) -> str:
    """Lower-case, strip diacritics (đ → d), drop control characters and collapse whitespace.

    >>> fold_vi("  Gà đồi YÊN THẾ ")
    'ga doi yen the'
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn":
            continue
        if category in _CONTROL_CATEGORIES:
            kept.append(" ")
            continue
        kept.append(char)
    return " ".join("".join(kept).casefold().split())


def search_tokens(query: str | None) -> list[str]:
    """Fold a user query and split it into tokens that must all match (AND)."""
    return fold_vi(query).split()


def clean_text(text: str | None, *, multiline: bool = False) -> str:
    """Text as typed, made safe to store: NFC, no control characters, trimmed.

    Single-line text has its whitespace collapsed; multi-line text keeps its line breaks (each line
    trimmed, at most one empty line in a row).

    >>> clean_text("  Cà  phê\\x00 ")
    'Cà phê'
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for char in text:
        if char == "\n" and multiline:
            kept.append(char)
        elif char == "\t" or unicodedata.category(char) in _CONTROL_CATEGORIES:
            kept.append(" ")
        else:
            kept.append(char)
    text = "".join(kept)
    if not multiline:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    result: list[str] = []
    for line in lines:
        if line or (result and result[-1]):
            result.append(line)
    return "\n".join(result).strip()
