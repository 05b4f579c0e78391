"""Write services of the legal app: loading the versioned legal-basis reference data."""

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from ocop.legal.models import LegalBasis, WorkdayOverride

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILE = DATA_DIR / "legal_bases.json"
WORKDAY_OVERRIDES_FILE = DATA_DIR / "workday_overrides.json"


@transaction.atomic
def load_legal_bases(path: Path = DATA_FILE, *, overrides_path: Path = WORKDAY_OVERRIDES_FILE) -> int:
    """Create or update the legal bases from the JSON file (idempotent); returns the row count.

    Also loads the working-day overrides (:func:`load_workday_overrides`).
    """
    rows = json.loads(path.read_text(encoding="utf-8"))["legal_bases"]
    by_code: dict[str, LegalBasis] = {}
    for row in rows:
        basis, _ = LegalBasis.objects.update_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "short_name": row["short_name"],
                "title": row["title"],
                "signed_on": dt.date.fromisoformat(row["signed_on"]),
                "effective_from": dt.date.fromisoformat(row["effective_from"]),
                "effective_to": dt.date.fromisoformat(row["effective_to"]) if row["effective_to"] else None,
                "parameters": row.get("parameters", {}),
                "amends": by_code.get(row["amends"]) if row["amends"] else None,
            },
        )
        by_code[basis.code] = basis
    load_workday_overrides(overrides_path)
    return len(rows)


@transaction.atomic
def load_workday_overrides(path: Path = WORKDAY_OVERRIDES_FILE) -> int:
    """Make the data-file rows of ``WorkdayOverride`` match the JSON file; returns the file's entry count.

    Idempotent, matched on ``date``: entries are created or updated with ``is_from_data_file``
    set, and data-file rows whose date left the file are deleted. Rows added in the admin are
    kept untouched, and a file entry on their date is skipped. Raises ``ValueError`` when the
    file lists a date twice.
    """
    rows = json.loads(path.read_text(encoding="utf-8"))["overrides"]
    dates = [dt.date.fromisoformat(row["date"]) for row in rows]
    if len(set(dates)) != len(dates):
        raise ValueError(f"{path.name} lists a date twice.")
    admin_dates = set(WorkdayOverride.objects.filter(is_from_data_file=False).values_list("date", flat=True))
    for day, row in zip(dates, rows, strict=True):
        if day in admin_dates:
            continue
        WorkdayOverride.objects.update_or_create(
            date=day,
            defaults={
                "is_working_day": row["is_working_day"],
                "reason": row["reason"],
                "source": row.get("source", ""),
                "is_from_data_file": True,
            },
        )
    WorkdayOverride.objects.filter(is_from_data_file=True).exclude(date__in=dates).delete()
    return len(rows)
