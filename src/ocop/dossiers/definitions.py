"""The dossier forms of a legal basis, read from ``dossiers/data/forms/<basis>.yaml``.

The checklist of legal papers (Mẫu 02 Part I), the headings of Parts II and IV, the commune's
completeness checks and the criteria each of the four commune topics informs are data, versioned
with the legal basis (26/2026 Annex III), never constants in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data" / "forms"


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    required: bool = False
    document_types: tuple[str, ...] = ()
    skip_for_tourism: bool = False


@dataclass(frozen=True)
class FormDefinition:
    legal_basis: str
    title: str
    legal_papers: tuple[Item, ...]
    business_results: tuple[Item, ...]
    plan_ahead: tuple[Item, ...]
    completeness: tuple[Item, ...]
    topic_criteria_default: dict[str, tuple[str, ...]] = field(default_factory=dict)
    topic_criteria_by_sheet: dict[int, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def paper(self, key: str) -> Item | None:
        return next((item for item in self.legal_papers if item.key == key), None)

    def topic_criteria(self, sheet_number: int) -> dict[str, tuple[str, ...]]:
        """Topic → criterion codes of this sheet the commune's assessment informs."""
        result = dict(self.topic_criteria_default)
        result.update(self.topic_criteria_by_sheet.get(sheet_number, {}))
        return result


def _items(rows) -> tuple[Item, ...]:
    return tuple(
        Item(
            key=row["key"],
            label=row["label"],
            required=bool(row.get("required", False)),
            document_types=tuple(row.get("document_types") or ()),
            skip_for_tourism=bool(row.get("skip_for_tourism", False)),
        )
        for row in rows or ()
    )


def _topics(mapping) -> dict[str, tuple[str, ...]]:
    return {key: tuple(str(code) for code in codes or ()) for key, codes in (mapping or {}).items()}


@cache
def _load(path: Path) -> FormDefinition:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    topics = data.get("commune_topics") or {}
    return FormDefinition(
        legal_basis=data["legal_basis"],
        title=data.get("title", ""),
        legal_papers=_items(data.get("legal_papers")),
        business_results=_items(data.get("business_results")),
        plan_ahead=_items(data.get("plan_ahead")),
        completeness=_items(data.get("completeness")),
        topic_criteria_default=_topics(topics.get("default")),
        topic_criteria_by_sheet={int(k): _topics(v) for k, v in (topics.get("sheets") or {}).items()},
    )


def form_definition(legal_basis_code: str) -> FormDefinition | None:
    """The forms of ``legal_basis_code`` (e.g. ``26/2026/QĐ-TTg``), or None if not supported."""
    for path in sorted(DATA_DIR.glob("*.yaml")):
        definition = _load(path)
        if definition.legal_basis == legal_basis_code:
            return definition
    return None


def supported_legal_bases() -> list[str]:
    return [_load(path).legal_basis for path in sorted(DATA_DIR.glob("*.yaml"))]


__all__ = ["FormDefinition", "Item", "form_definition", "supported_legal_bases"]
