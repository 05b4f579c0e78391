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
