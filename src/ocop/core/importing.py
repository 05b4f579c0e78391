"""The contract between the generic import jobs (``ocop.imports``) and each domain's importer.

A domain app (producers, products …) subclasses :class:`Importer` in its ``importers.py``:
it declares the spreadsheet columns, cleans one row at a time (raising :class:`RowErrors` with
one message per column), checks rows against each other (duplicates inside the file) and
writes the clean rows through its own services. The job machinery (dry run, progress,
all-or-nothing write) lives in ``ocop.imports`` and knows nothing about the domain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ocop.core.spreadsheets import Column


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
