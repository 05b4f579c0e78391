"""Real spreadsheet files for import tests, built the way users get them: from the template."""

from __future__ import annotations

import io
from collections.abc import Iterable

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.core.spreadsheets import DATA_SHEET, Column, build_template


def filled_template(columns: list[Column], rows: Iterable[dict]) -> bytes:
    """The import template of ``columns`` with ``rows`` (dicts by column key) typed from row 2."""
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(columns, title="Mẫu nhập", instructions=[])))
    sheet = workbook[DATA_SHEET]
    for row_number, row in enumerate(rows, start=2):
        for column_number, column in enumerate(columns, start=1):
            value = row.get(column.key)
            if value is not None:
                sheet.cell(row=row_number, column=column_number, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "chu-the.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
