"""Read selectors of the geography app."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from ocop.core.text import search_tokens
from ocop.geography.enums import UnitLevel
from ocop.geography.models import AdminUnit, AdminUnitSuccession


def get_country() -> AdminUnit:
    return AdminUnit.objects.get(level=UnitLevel.COUNTRY)


def resolve_unit(level: str, code: str, *, on_date: dt.date | None = None) -> AdminUnit | None:
    """The unit with this level and official code that was in force on ``on_date`` (default today).

    Codes are ambiguous without a level (province 4 vs ward 4) and without a date (ward 4 is
    Phường Trúc Bạch before 01/07/2025 and Phường Ba Đình after).
    """
    day = on_date or timezone.localdate()
    return AdminUnit.objects.valid_on(day).filter(level=level, code=code).select_related("province").first()


def ancestors_of(unit: AdminUnit) -> list[AdminUnit]:
    """The unit and its parents up to the country, nearest first (at most 4 rows)."""
    chain = [unit]
    while chain[-1].parent_id is not None:
        chain.append(AdminUnit.objects.select_related("parent").get(pk=chain[-1].parent_id))
    return chain


def units_below(unit: AdminUnit, *, include_self: bool = True) -> QuerySet[AdminUnit]:
    """All units inside ``unit`` in its own code set (the country covers every unit)."""
    if unit.level == UnitLevel.COUNTRY:
        queryset = AdminUnit.objects.all()
    elif unit.level == UnitLevel.PROVINCE:
        queryset = AdminUnit.objects.filter(province=unit)
    elif unit.level == UnitLevel.DISTRICT:
        queryset = AdminUnit.objects.filter(Q(parent=unit) | Q(pk=unit.pk))
    else:
        queryset = AdminUnit.objects.filter(pk=unit.pk)
    if not include_self:
        queryset = queryset.exclude(pk=unit.pk)
    return queryset


def current_units_for(unit: AdminUnit, *, on_date: dt.date | None = None) -> list[AdminUnit]:
    """Today's unit(s) that a unit of any date rolls up to, following succession links.

    A unit still in force is its own answer. A legacy unit without a recorded successor falls
    back to the successors of its parent (a handful of communes dissolved before 2025).
    """
    day = on_date or timezone.localdate()
    if unit.valid_on(day):
        return [unit]
    frontier = {unit.pk}
    seen: set[int] = set()
    found: dict[int, AdminUnit] = {}
    while frontier:
        seen |= frontier
        links = AdminUnitSuccession.objects.filter(predecessor_id__in=frontier).select_related(
            "successor", "successor__province"
        )
        frontier = set()
        for link in links:
            successor = link.successor
            if successor.valid_on(day):
                found[successor.pk] = successor
            elif successor.pk not in seen:
                frontier.add(successor.pk)
    if not found and unit.parent_id is not None:
        return current_units_for(unit.parent, on_date=day)
    return sorted(found.values(), key=lambda u: (u.level, u.code))


def current_province_for(unit: AdminUnit, *, on_date: dt.date | None = None) -> AdminUnit | None:
    """Today's province for a unit of any date; ``None`` for the country or an ambiguous split."""
    if unit.level == UnitLevel.COUNTRY:
        return None
    province = unit if unit.level == UnitLevel.PROVINCE else unit.province
    # A district or commune follows its own successors first: a legacy district of a province that
    # was split (Tiền Giang) may still lie wholly in one of today's provinces.
    if unit.level in (UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        provinces = {u.province_id: u.province for u in current_units_for(unit, on_date=on_date) if u.province_id}
        if len(provinces) == 1:
            return next(iter(provinces.values()))
    candidates = current_units_for(province, on_date=on_date)
    return candidates[0] if len(candidates) == 1 else None


def search_units(
    query: str | None = "",
    *,
    level: str | None = None,
    province: AdminUnit | None = None,
    on_date: dt.date | None = None,
    include_legacy: bool = False,
) -> QuerySet[AdminUnit]:
    """Diacritics-insensitive search: every folded token must start a word of the name ("son ha"
    finds "Sơn Hà"); a numeric token also matches the official code. Names that end with the whole
    query come first ("Xã Sơn Hà" before "Phường Hà Sơn"), then current before legacy units.
    Current units only unless ``include_legacy``.
    """
    queryset = AdminUnit.objects.exclude(level=UnitLevel.COUNTRY).select_related("province", "parent", "code_set")
    if not include_legacy:
        queryset = queryset.valid_on(on_date or timezone.localdate())
    if level:
        queryset = queryset.filter(level=level)
    if province is not None:
        queryset = queryset.filter(province=province)
    tokens = search_tokens(query)
    for token in tokens:
        # A token matches the start of a word of the name ("ha" finds "Hà" but not "Thạch").
        condition = Q(name_folded__startswith=token) | Q(name_folded__contains=f" {token}")
        if token.isdigit():
            condition |= Q(code=token) | Q(code=token.zfill(5)) | Q(code=token.zfill(2)) | Q(code=token.zfill(3))
        queryset = queryset.filter(condition)
    phrase = " ".join(tokens)
    queryset = queryset.annotate(
        match_rank=Case(
            When(Q(name_folded=phrase) | Q(name_folded__endswith=f" {phrase}"), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    return queryset.order_by("match_rank", F("valid_from").desc(nulls_last=True), "level", "name_folded", "code")


_UNIT_PREFIXES = ("thanh pho", "tinh", "dac khu", "phuong", "xa", "thi tran")


def _bare_name(folded: str) -> str:
    for prefix in _UNIT_PREFIXES:
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1 :]
    return folded


class CurrentUnitIndex:
    """Today's provinces and communes in memory, to resolve names or codes typed in spreadsheets.

    "Bắc Ninh", "tỉnh bac ninh" and "24" all find Tỉnh Bắc Ninh; a commune is looked up inside its
    province by name ("Bố Hạ", "xã bo ha") or by its 5-digit code. Built with two queries.
    """

    def __init__(self, on_date: dt.date | None = None):
        day = on_date or timezone.localdate()
        units = list(
            AdminUnit.objects.valid_on(day)
            .filter(level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE])
            .select_related("province")
        )
        self.provinces: dict[str, AdminUnit] = {}
        self.communes_by_code: dict[str, AdminUnit] = {}
        self.communes: dict[tuple[int, str], list[AdminUnit]] = {}
        for unit in units:
            if unit.level == UnitLevel.PROVINCE:
                self.provinces[unit.code] = unit
                self.provinces[unit.name_folded] = unit
                self.provinces[_bare_name(unit.name_folded)] = unit
            else:
                self.communes_by_code[unit.code] = unit
                for key in {unit.name_folded, _bare_name(unit.name_folded)}:
                    self.communes.setdefault((unit.province_id, key), []).append(unit)

    def province(self, text: str) -> AdminUnit | None:
        text = text.strip()
        if text.isdigit():
            return self.provinces.get(text.zfill(2))
        folded = " ".join(search_tokens(text))
        return self.provinces.get(folded) or self.provinces.get(_bare_name(folded))

    def communes_named(self, province: AdminUnit, text: str) -> list[AdminUnit]:
        """Communes of ``province`` matching a name or code (several if only the bare name is given)."""
        text = text.strip()
        if text.isdigit():
            unit = self.communes_by_code.get(text.zfill(5))
            return [unit] if unit is not None and unit.province_id == province.pk else []
        folded = " ".join(search_tokens(text))
        matches = self.communes.get((province.pk, folded)) or self.communes.get((province.pk, _bare_name(folded)), [])
        if len(matches) > 1:
            # Names that differ only in diacritics (Xã Sơn Hà, Xã Sơn Hạ): the exact spelling decides.
            typed = " ".join(unicodedata.normalize("NFC", text).casefold().split())
            exact = [unit for unit in matches if typed in self._spellings(unit)]
            if exact:
                return exact
        return matches

    @staticmethod
    def _spellings(unit: AdminUnit) -> set[str]:
        """The name as typed with its diacritics, with and without the prefix ("xã sơn hà", "sơn hà")."""
        words = unicodedata.normalize("NFC", unit.name).casefold().split()
        prefix_words = len(unit.name_folded.split()) - len(_bare_name(unit.name_folded).split())
        return {" ".join(words), " ".join(words[prefix_words:])}

    def suggest(self, province: AdminUnit, text: str, *, limit: int = 5) -> list[AdminUnit]:
        """Communes of ``province`` whose name contains the typed words (for "did you mean")."""
        tokens = search_tokens(text)
        if not tokens:
            return []
        found = {
            unit.pk: unit
            for (province_pk, _key), units in self.communes.items()
            if province_pk == province.pk
            for unit in units
            if all(token in unit.name_folded for token in tokens)
        }
        return sorted(found.values(), key=lambda unit: unit.name_folded)[:limit]
