"""Enterprise size class under Decree 80/2021/NĐ-CP Art. 5 (ocop.producers.sizing)."""

import json
import random
from decimal import Decimal

import pytest
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st

from ocop.producers.sizing import (
    DEFAULT_THRESHOLDS_PATH,
    EconomicSector,
    SizeClass,
    SizeClassResult,
    SizeThreshold,
    classify_enterprise,
    format_billions,
    load_thresholds,
)

pytestmark = [pytest.mark.unit]

no_deadline = settings(deadline=None)

BN = 1_000_000_000
AGRI = "agriculture_industry"
TRADE = "trade_services"
THRESHOLDS = load_thresholds()
RANK = {"micro": 0, "small": 1, "medium": 2, "large": 3}

# The table of Decree 80/2021 Art. 5, written out independently of the JSON file:
# (sector, tier, max insured labour, max revenue, max capital, the next tier up).
TABLE = [
    (AGRI, "micro", 10, 3 * BN, 3 * BN, "small"),
    (AGRI, "small", 100, 50 * BN, 20 * BN, "medium"),
    (AGRI, "medium", 200, 200 * BN, 100 * BN, "large"),
    (TRADE, "micro", 10, 10 * BN, 3 * BN, "small"),
    (TRADE, "small", 50, 100 * BN, 50 * BN, "medium"),
    (TRADE, "medium", 100, 300 * BN, 100 * BN, "large"),
]
TABLE_IDS = [f"{row[0]}-{row[1]}" for row in TABLE]


def classify(sector=AGRI, *, labour, revenue=None, capital=None, thresholds=THRESHOLDS) -> SizeClassResult:
    return classify_enterprise(
        sector=sector, insured_labour=labour, revenue=revenue, capital=capital, thresholds=thresholds
    )


# --- the data file ---------------------------------------------------------------------------------------------


def test_data_file_loads_into_exactly_six_thresholds():
    assert len(THRESHOLDS) == 6
    assert all(isinstance(t, SizeThreshold) for t in THRESHOLDS)


def test_data_file_matches_the_decree_table():
    loaded = {(t.sector, t.size_class): (t.max_insured_labour, t.max_revenue, t.max_capital) for t in THRESHOLDS}
    assert loaded == {(sector, tier): (labour, revenue, capital) for sector, tier, labour, revenue, capital, _ in TABLE}


def test_data_file_names_its_legal_basis_and_validity():
    data = json.loads(DEFAULT_THRESHOLDS_PATH.read_text(encoding="utf-8"))
    assert data["legal_reference"] == "Nghị định 80/2021/NĐ-CP, Điều 5"
    assert data["valid_from"] == "2021-10-15"
    assert data["valid_to"] is None


def test_data_file_uses_only_known_sectors_and_size_classes():
    assert {t.sector for t in THRESHOLDS} == set(EconomicSector.values)
    assert {t.size_class for t in THRESHOLDS} == {"micro", "small", "medium"}


def test_load_thresholds_reads_another_path(tmp_path):
    path = tmp_path / "thresholds.json"
    row = {"sector": TRADE, "size_class": "micro", "max_insured_labour": 5, "max_revenue": 1, "max_capital": 2}
    path.write_text(json.dumps({"thresholds": [row]}), encoding="utf-8")
    assert load_thresholds(path) == [SizeThreshold(TRADE, "micro", 5, 1, 2)]
    assert load_thresholds(str(path)) == [SizeThreshold(TRADE, "micro", 5, 1, 2)]


@pytest.mark.parametrize(
    "change",
    [
        {"sector": "mining"},
        {"size_class": "large"},
        {"size_class": "tiny"},
        {"max_revenue": -1},
        {"max_capital": "3000000000"},
        {"max_insured_labour": 10.5},
        {"max_insured_labour": True},
    ],
)
def test_load_thresholds_rejects_bad_rows(tmp_path, change):
    row = {"sector": AGRI, "size_class": "micro", "max_insured_labour": 10, "max_revenue": 1, "max_capital": 1}
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps({"thresholds": [{**row, **change}]}), encoding="utf-8")
    with pytest.raises(ValueError):
        load_thresholds(path)


def test_load_thresholds_rejects_a_repeated_sector_and_size_class(tmp_path):
    row = {"sector": AGRI, "size_class": "micro", "max_insured_labour": 10, "max_revenue": 1, "max_capital": 1}
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps({"thresholds": [row, row]}), encoding="utf-8")
    with pytest.raises(ValueError, match="Repeated"):
        load_thresholds(path)


# --- every boundary of the table ------------------------------------------------------------------------------


@pytest.mark.parametrize(("sector", "tier", "labour", "revenue", "capital", "above"), TABLE, ids=TABLE_IDS)
def test_revenue_only_exactly_at_the_ceiling_fits_the_tier(sector, tier, labour, revenue, capital, above):
    result = classify(sector, labour=labour, revenue=revenue)
    assert result.size_class == tier
    assert result.threshold == SizeThreshold(sector, tier, labour, revenue, capital)


@pytest.mark.parametrize(("sector", "tier", "labour", "revenue", "capital", "above"), TABLE, ids=TABLE_IDS)
def test_revenue_only_one_vnd_above_the_ceiling_moves_up(sector, tier, labour, revenue, capital, above):
    assert classify(sector, labour=labour, revenue=revenue + 1).size_class == above


@pytest.mark.parametrize(("sector", "tier", "labour", "revenue", "capital", "above"), TABLE, ids=TABLE_IDS)
def test_capital_only_exactly_at_the_ceiling_fits_the_tier(sector, tier, labour, revenue, capital, above):
    result = classify(sector, labour=labour, capital=capital)
    assert result.size_class == tier
    assert result.threshold.size_class == tier


@pytest.mark.parametrize(("sector", "tier", "labour", "revenue", "capital", "above"), TABLE, ids=TABLE_IDS)
def test_capital_only_one_vnd_above_the_ceiling_moves_up(sector, tier, labour, revenue, capital, above):
    assert classify(sector, labour=labour, capital=capital + 1).size_class == above


@pytest.mark.parametrize(("sector", "tier", "labour", "revenue", "capital", "above"), TABLE, ids=TABLE_IDS)
def test_one_worker_above_the_labour_ceiling_moves_up_even_with_tiny_amounts(
    sector, tier, labour, revenue, capital, above
):
    assert classify(sector, labour=labour, revenue=0, capital=0).size_class == tier
    assert classify(sector, labour=labour + 1, revenue=0, capital=0).size_class == above


@pytest.mark.parametrize(("sector", "tier", "labour", "revenue", "capital", "above"), TABLE, ids=TABLE_IDS)
def test_with_both_amounts_either_one_within_the_ceiling_is_enough(sector, tier, labour, revenue, capital, above):
    assert classify(sector, labour=labour, revenue=revenue, capital=capital).size_class == tier
    assert classify(sector, labour=labour, revenue=revenue + 1, capital=capital).size_class == tier
    assert classify(sector, labour=labour, revenue=revenue, capital=capital + 1).size_class == tier
    assert classify(sector, labour=labour, revenue=revenue + 1, capital=capital + 1).size_class == above


def test_zero_labour_and_zero_amounts_is_micro():
    for sector in (AGRI, TRADE):
        assert classify(sector, labour=0, revenue=0, capital=0).size_class == SizeClass.MICRO


def test_the_sectors_differ_where_the_decree_differs():
    # 8 bn revenue with 10 workers: above the agricultural micro ceiling (3 bn), within the trade one (10 bn).
    assert classify(AGRI, labour=10, revenue=8 * BN).size_class == "small"
    assert classify(TRADE, labour=10, revenue=8 * BN).size_class == "micro"
    # 80 workers: small in agriculture/industry (≤ 100), medium in trade/services (≤ 50 for small).
    assert classify(AGRI, labour=80, revenue=1 * BN).size_class == "small"
    assert classify(TRADE, labour=80, revenue=1 * BN).size_class == "medium"


def test_result_carries_the_enum_and_sme_flag():
    micro = classify(labour=1, revenue=1)
    assert micro.size_class is SizeClass.MICRO
    assert micro.is_sme
    large = classify(labour=1000, revenue=1)
    assert large.size_class is SizeClass.LARGE
    assert large.threshold is None
    assert not large.is_sme


def test_sector_may_be_given_as_the_enum():
    assert classify(EconomicSector.TRADE_SERVICES, labour=10, revenue=10 * BN).size_class == "micro"


def test_order_of_the_threshold_rows_does_not_matter():
    shuffled = list(THRESHOLDS)
    random.Random(4).shuffle(shuffled)
    for sector, tier, labour, revenue, _, _ in TABLE:
        assert classify(sector, labour=labour, revenue=revenue, thresholds=shuffled).size_class == tier
    assert classify(labour=1, revenue=1, thresholds=reversed(THRESHOLDS)).size_class == "micro"


def test_other_threshold_data_gives_other_results():
    # Rules are data: a stricter (hypothetical) table changes the outcome without touching the code.
    stricter = [
        SizeThreshold(AGRI, "micro", 5, 1 * BN, 1 * BN),
        SizeThreshold(AGRI, "small", 20, 10 * BN, 5 * BN),
        SizeThreshold(AGRI, "medium", 50, 20 * BN, 10 * BN),
    ]
    assert classify(labour=10, revenue=3 * BN).size_class == "micro"
    assert classify(labour=10, revenue=3 * BN, thresholds=stricter).size_class == "small"
    assert classify(labour=51, revenue=1, thresholds=stricter).size_class == "large"


def test_a_table_without_some_tier_skips_it():
    only_medium = [SizeThreshold(AGRI, "medium", 200, 200 * BN, 100 * BN)]
    assert classify(labour=1, revenue=1, thresholds=only_medium).size_class == "medium"


# --- unknowns and errors ----------------------------------------------------------------------------------------


def test_missing_labour_is_unknown():
    with override("en"):
        result = classify(labour=None, revenue=1 * BN, capital=1 * BN)
    assert result.size_class is SizeClass.UNKNOWN
    assert result.threshold is None
    assert not result.is_sme
    assert result.reason == "Insured labour is missing, so the size class cannot be determined."


def test_missing_labour_is_unknown_even_when_the_amounts_alone_are_huge():
    assert classify(labour=None, revenue=10_000 * BN, capital=10_000 * BN).size_class == "unknown"


def test_missing_revenue_and_capital_is_unknown():
    with override("en"):
        result = classify(labour=5, revenue=None, capital=None)
    assert result.size_class == "unknown"
    assert result.reason == "Revenue and total capital are both missing, so the size class cannot be determined."


def test_missing_labour_is_reported_before_missing_amounts():
    with override("en"):
        assert classify(labour=None).reason.startswith("Insured labour is missing")


@pytest.mark.parametrize("sector", [None, ""])
def test_missing_sector_is_unknown(sector):
    with override("en"):
        result = classify(sector, labour=1, revenue=1)
    assert result.size_class == "unknown"
    assert result.reason == "The main business sector is missing, so the size class cannot be determined."


def test_a_missing_amount_cannot_satisfy_its_branch():
    # capital within the micro ceiling but revenue missing → micro through capital
    assert classify(labour=5, revenue=None, capital=3 * BN).size_class == "micro"
    # revenue missing and capital above every ceiling → large, not micro
    assert classify(labour=5, revenue=None, capital=101 * BN).size_class == "large"


@pytest.mark.parametrize(("sector", "thresholds"), [("mining", THRESHOLDS), (AGRI, []), (TRADE, THRESHOLDS[::2][:1])])
def test_a_sector_without_thresholds_is_unknown(sector, thresholds):
    with override("en"):
        result = classify(sector, labour=1, revenue=1, thresholds=thresholds)
    assert result.size_class == "unknown"
    assert result.threshold is None
    assert result.reason == "No size thresholds are recorded for this sector, so the size class cannot be determined."


def test_duplicate_threshold_rows_are_a_configuration_error():
    with pytest.raises(ValueError, match="Duplicate"):
        classify(labour=1, revenue=1, thresholds=[*THRESHOLDS, THRESHOLDS[0]])


@pytest.mark.parametrize(
    "figures", [{"labour": -1, "revenue": 1}, {"labour": 1, "revenue": -1}, {"labour": 1, "capital": -1}]
)
def test_negative_figures_are_rejected(figures):
    with pytest.raises(ValueError, match="negative"):
        classify(**figures)


@pytest.mark.parametrize(
    "fields",
    [
        {"size_class": "large"},
        {"size_class": "unknown"},
        {"max_insured_labour": -1},
        {"max_revenue": 1.5},
        {"max_capital": None},
    ],
)
def test_size_threshold_rejects_bad_values(fields):
    values = {"sector": AGRI, "size_class": "micro", "max_insured_labour": 1, "max_revenue": 1, "max_capital": 1}
    with pytest.raises(ValueError):
        SizeThreshold(**{**values, **fields})


# --- reasons ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sector", "figures", "reason"),
    [
        (AGRI, {"labour": 10, "revenue": 3 * BN}, "≤ 10 insured workers and revenue ≤ 3 billion VND → micro"),
        (TRADE, {"labour": 3, "revenue": 9 * BN}, "≤ 10 insured workers and revenue ≤ 10 billion VND → micro"),
        (AGRI, {"labour": 10, "capital": 3 * BN}, "≤ 10 insured workers and total capital ≤ 3 billion VND → micro"),
        (AGRI, {"labour": 11, "revenue": 1}, "≤ 100 insured workers and revenue ≤ 50 billion VND → small"),
        (
            TRADE,
            {"labour": 50, "revenue": 101 * BN, "capital": 50 * BN},
            "≤ 50 insured workers and total capital ≤ 50 billion VND → small",
        ),
        (AGRI, {"labour": 150, "revenue": 200 * BN}, "≤ 200 insured workers and revenue ≤ 200 billion VND → medium"),
        (
            TRADE,
            {"labour": 100, "capital": 100 * BN},
            "≤ 100 insured workers and total capital ≤ 100 billion VND → medium",
        ),
    ],
)
def test_reason_for_a_fitting_tier(sector, figures, reason):
    with override("en"):
        assert classify(sector, **figures).reason == reason


def test_reason_names_revenue_when_both_amounts_fit():
    with override("en"):
        assert "revenue ≤ 3 billion VND" in classify(labour=1, revenue=1, capital=1).reason


@pytest.mark.parametrize(
    ("sector", "figures", "reason"),
    [
        (AGRI, {"labour": 201, "revenue": 1}, "> 200 insured workers → large"),
        (TRADE, {"labour": 101, "revenue": 1, "capital": 1}, "> 100 insured workers → large"),
        (AGRI, {"labour": 1000, "revenue": 1000 * BN, "capital": 1000 * BN}, "> 200 insured workers → large"),
        (
            TRADE,
            {"labour": 5, "revenue": 300 * BN + 1, "capital": 100 * BN + 1},
            "revenue > 300 billion VND and total capital > 100 billion VND → large",
        ),
        (
            AGRI,
            {"labour": 5, "revenue": 200 * BN + 1},
            "revenue > 200 billion VND and total capital not declared → large",
        ),
        (
            AGRI,
            {"labour": 5, "capital": 100 * BN + 1},
            "total capital > 100 billion VND and revenue not declared → large",
        ),
    ],
)
def test_reason_for_large_names_the_medium_ceiling_exceeded(sector, figures, reason):
    with override("en"):
        result = classify(sector, **figures)
    assert result.size_class == "large"
    assert result.reason == reason


def test_reason_follows_the_active_language_number_format():
    thresholds = [SizeThreshold(AGRI, "micro", 10, 1_500_000_000, 1 * BN)]
    with override("en"):
        assert classify(labour=1, revenue=1, thresholds=thresholds).reason.endswith("revenue ≤ 1.5 billion VND → micro")
    with override("vi"):
        assert "1,5" in classify(labour=1, revenue=1, thresholds=thresholds).reason


def test_reason_is_a_plain_string():
    assert type(classify(labour=1, revenue=1).reason) is str


# --- format_billions ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "english"),
    [
        (3 * BN, "3 billion VND"),
        (0, "0 billion VND"),
        (1_500_000_000, "1.5 billion VND"),
        (250_000_000, "0.25 billion VND"),
        (1_234_567_890, "1.235 billion VND"),
        (300 * BN, "300 billion VND"),
        (1000 * BN, "1,000 billion VND"),
        (Decimal("2500000000"), "2.5 billion VND"),
    ],
)
def test_format_billions_in_english(amount, english):
    with override("en"):
        assert format_billions(amount) == english


@pytest.mark.parametrize(
    ("amount", "number"),
    [(3 * BN, "3"), (1_500_000_000, "1,5"), (1000 * BN, "1.000"), (1_234_567_890, "1,235")],
)
def test_format_billions_uses_the_vietnamese_decimal_mark(amount, number):
    with override("vi"):
        assert format_billions(amount).startswith(f"{number} ")


# --- labels -------------------------------------------------------------------------------------------------------


def test_enum_values_and_english_labels():
    with override("en"):
        assert dict(EconomicSector.choices) == {
            "agriculture_industry": "Agriculture, forestry, fishery; industry and construction",
            "trade_services": "Trade and services",
        }
        assert dict(SizeClass.choices) == {
            "micro": "Micro",
            "small": "Small",
            "medium": "Medium",
            "large": "Large (not eligible for OCOP)",
            "unknown": "Unknown",
        }


# --- properties ---------------------------------------------------------------------------------------------------

amounts = st.one_of(st.none(), st.integers(min_value=0, max_value=1000 * BN))
labour_counts = st.integers(min_value=0, max_value=500)


@no_deadline
@given(
    sector=st.sampled_from([AGRI, TRADE]),
    labour=labour_counts,
    revenue=amounts,
    capital=amounts,
    extra_labour=st.integers(min_value=0, max_value=100),
    extra_revenue=st.integers(min_value=0, max_value=100 * BN),
    extra_capital=st.integers(min_value=0, max_value=100 * BN),
)
def test_more_labour_revenue_or_capital_never_gives_a_smaller_class(
    sector, labour, revenue, capital, extra_labour, extra_revenue, extra_capital
):
    before = classify(sector, labour=labour, revenue=revenue, capital=capital)
    after = classify(
        sector,
        labour=labour + extra_labour,
        revenue=None if revenue is None else revenue + extra_revenue,
        capital=None if capital is None else capital + extra_capital,
    )
    if revenue is None and capital is None:
        assert before.size_class == after.size_class == "unknown"
    else:
        assert RANK[before.size_class] <= RANK[after.size_class]


@no_deadline
@given(sector=st.sampled_from([AGRI, TRADE]), labour=labour_counts, revenue=amounts, capital=amounts)
def test_the_deciding_threshold_really_admits_the_figures(sector, labour, revenue, capital):
    result = classify(sector, labour=labour, revenue=revenue, capital=capital)
    if result.threshold is None:
        assert result.size_class in ("large", "unknown")
        return
    threshold = result.threshold
    assert threshold.sector == sector
    assert threshold.size_class == result.size_class
    assert labour <= threshold.max_insured_labour
    assert (revenue is not None and revenue <= threshold.max_revenue) or (
        capital is not None and capital <= threshold.max_capital
    )
