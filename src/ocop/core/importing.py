"""The contract between the generic import jobs (``ocop.imports``) and each domain's importer.

A domain app (producers, products …) subclasses :class:`Importer` in its ``importers.py``:
it declares the spreadsheet columns, cleans one row at a time (raising :class:`RowErrors` with
one message per column), checks rows against each other (duplicates inside the file) and
writes the clean rows through its own services. The job machinery (dry run, progress,
all-or-nothing write) lives in ``ocop.imports`` and knows nothing about the domain.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from ocop.core.spreadsheets import Column, as_text
from ocop.core.text import fold_vi


@dataclass(frozen=True)
class CellError:
    """One problem in the file: 1-based row as Excel shows it, column key, the value, a message."""

    row: int
    column: str
    value: str
    message: str


class RowErrors(Exception):
    """Raised by ``Importer.clean_row``: ``errors`` maps column key → message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def messages_of(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


class Importer:
    """Base class of a domain importer. ``actor`` is the user running the import (scope checks)."""

    kind: str = ""
    title: str = ""
    columns: list[Column] = []
    instructions: list[str] = []

    def __init__(self, actor):
        self.actor = actor

    def clean_row(self, values: dict) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def check_rows(self, rows: list[tuple[int, dict]]) -> list[CellError]:
        """Cross-row checks (e.g. the same tax code twice in one file); none by default."""
        return []

    def write_rows(self, rows: list[tuple[int, dict]], progress: Callable[[int], None]) -> int:  # pragma: no cover
        raise NotImplementedError


def _bare_label(label: str) -> str:
    """A label without its parenthesised note: "Hợp tác xã (HTX)" → "hop tac xa"."""
    return fold_vi(re.sub(r"\([^)]*\)", " ", label))


def parse_enum(value, choices_enum) -> str | None:
    """The value of a TextChoices enum named by a cell, in Vietnamese or English, or ``None`` if blank.

    Accepts the stored value, the label in either language, the label without its parenthesised
    note ("hợp tác xã" for "Hợp tác xã (HTX)") and the note itself ("HTX"). Templates are filled in
    whatever language the user's interface had, and imports run in the background.
    """
    text = as_text(value)
    if not text:
        return None
    folded = fold_vi(text)
    for language in ("vi", "en"):
        with translation.override(language):
            for member in choices_enum:
                label = str(member.label)
                notes = [fold_vi(note) for note in re.findall(r"\(([^)]*)\)", label)]
                if folded in {fold_vi(member.value), fold_vi(label), _bare_label(label), *notes}:
                    return member.value
    labels = "; ".join(str(member.label) for member in choices_enum)
    raise ValidationError(
        gettext("“%(value)s” is not an allowed value. Choose one of: %(choices)s.")
        % {"value": text, "choices": labels},
        code="invalid_choice",
    )
