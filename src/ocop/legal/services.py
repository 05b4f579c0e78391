"""Write services of the legal app: loading the versioned legal-basis reference data."""

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from ocop.legal.models import LegalBasis

DATA_FILE = Path(__file__).resolve().parent / "data" / "legal_bases.json"


@transaction.atomic
def load_legal_bases(path: Path = DATA_FILE) -> int:
    """Create or update the legal bases from the JSON file (idempotent); returns the row count."""
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
    return len(rows)
