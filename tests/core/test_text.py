import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocop.core.text import fold_vi, search_tokens

pytestmark = [pytest.mark.unit]

VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
# Timing is not under test: a busy machine must not fail these.
no_deadline = settings(deadline=None)
vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " \t\n0123456789-")
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gà đồi Yên Thế", "ga doi yen the"),
        ("GÀ ĐỒI", "ga doi"),
        ("  Gà đồi YÊN THẾ ", "ga doi yen the"),
        ("đ", "d"),
        ("Đ", "d"),
        ("Đắk Lắk", "dak lak"),
        ("Phường Bắc Hồng Lĩnh", "phuong bac hong linh"),
        ("Xã Sơn Hà", "xa son ha"),
        ("Huế", "hue"),
        ("Thừa Thiên–Huế", "thua thien–hue"),
        ("Mật ong rừng", "mat ong rung"),
        ("H'Nga Byă", "h'nga bya"),
        ("24-07288-001-2025", "24-07288-001-2025"),
        # Decomposed input (NFD, as some keyboards send it) folds the same as precomposed input.
        (unicodedata.normalize("NFD", "Gà đồi Yên Thế"), "ga doi yen the"),
        # Control characters (NUL, tab, newline, DEL, zero-width and bidi marks) become spaces.
        ("Gà\x00đồi", "ga doi"),
        ("\x00", ""),
        ("Gà\tđồi\nYên\r\nThế", "ga doi yen the"),
        ("Sơn\x7fHà", "son ha"),
        ("Sơn\u200bHà", "son ha"),
        ("\u202eSơn Hà\u202c", "son ha"),
        ("Sơn\u00a0Hà", "son ha"),
        ("   ", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_vi(text, expected):
    assert fold_vi(text) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Gà đồi  Yên Thế", ["ga", "doi", "yen", "the"]),
        ("SƠN HÀ", ["son", "ha"]),
        ("  21289 ", ["21289"]),
        ("mật\x00ong", ["mat", "ong"]),
        ("", []),
        ("   ", []),
        (None, []),
    ],
)
def test_search_tokens(query, expected):
    assert search_tokens(query) == expected


@no_deadline
@given(st.text())
def test_fold_vi_is_idempotent(text):
    folded = fold_vi(text)
    assert fold_vi(folded) == folded


@no_deadline
@given(st.text())
def test_fold_vi_output_has_no_diacritics_controls_or_cased_letters(text):
    folded = fold_vi(text)
    assert not [c for c in folded if unicodedata.category(c) in {"Mn", "Cc", "Cf", "Cs", "Co", "Cn"}]
    # Already case-folded (a few scripts, e.g. Cherokee, fold *to* capital letters).
    assert folded.casefold() == folded
    assert folded == folded.strip()
    assert "  " not in folded


@no_deadline
@given(vietnamese_text)
def test_fold_vi_of_vietnamese_text_is_lower_case_ascii(text):
    folded = fold_vi(text)
    assert set(folded) <= set(string.ascii_lowercase + string.digits + " -")
    assert len(folded.replace(" ", "")) == len("".join(text.split()))


@no_deadline
@given(st.text(alphabet=string.ascii_letters))
def test_ascii_letters_survive_lower_cased(text):
    assert fold_vi(text) == text.lower()


@no_deadline
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_text_is_lower_cased_with_controls_as_spaces(text):
    spaced = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    assert fold_vi(text) == " ".join(spaced.lower().split())


@no_deadline
@given(st.text())
def test_search_tokens_are_the_folded_words(text):
    tokens = search_tokens(text)
    assert tokens == fold_vi(text).split()
    assert all(token and " " not in token for token in tokens)
