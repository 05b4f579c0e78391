"""The self-assessment on a sheet: a product's (Mẫu 02, Part III, saved) and the public trial one."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ocop.evaluation.models import SelfAssessment
from ocop.evaluation.services import save_self_assessment
from ocop.products.models import ProductCategory
from ocop.products.services import classify_product
from tests.evaluation.views import BASIS_2026, active_version, answers_worth, max_answers, option_key, post_data
from tests.factories.producers import ProducerFactory
from tests.factories.products import ProductFactory
from tests.utils import PermissionCase, assert_permission_matrix, make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

HTMX = {"HTTP_HX_REQUEST": "true"}


def _vi(message: str, **params) -> str:
    with translation.override("vi"):
        text = gettext(message)
    return text % params if params else text


def _text(content: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def _block(response, testid: str) -> str:
    """The text of the element ``testid`` up to its first closing ``</div>``."""
    content = response.content.decode()
    start = content.index(f'data-testid="{testid}"')
    return _text(content[content.index(">", start) + 1 : content.index("</div>", start)])


def _proposed_star(response) -> int:
    match = re.fullmatch(r".* (\d)★", _block(response, "proposed-star"))
    assert match, _block(response, "proposed-star")
    return int(match.group(1))


def _testid(response, testid: str) -> str:
    content = response.content.decode()
    start = content.index(f'data-testid="{testid}"')
    return _text(content[content.index(">", start) + 1 : content.index("</", start)])


@pytest.fixture
def producer(units):
    return ProducerFactory(name="HTX Rau sạch Yên Thế", address_unit=units.yen_the)


@pytest.fixture
def product(producer):
    product = ProductFactory(producer=producer, name="Rau cải ngọt Yên Thế")
    classify_product(product, category=ProductCategory.objects.get(legal_basis__code=BASIS_2026, code="I.1.a"))
    return product


@pytest.fixture
def producer_client(client, units, product):
    client.force_login(make_user_with_role("producer", units.yen_the, producer=product.producer))
    return client


def _url(product) -> str:
    return reverse("evaluation:product_self_assessment", args=[product.pk])


def test_self_assessment_permission_matrix(units, product):
    other = ProducerFactory(name="HTX Khác", address_unit=units.bo_ha)
    assert_permission_matrix(
        _url(product),
        [
            PermissionCase("anonymous", None, None, 302, anonymous=True),
            PermissionCase("no role", None, None, 404),
            PermissionCase("commune officer, same commune", "commune-officer", units.yen_the, 200),
            PermissionCase("commune officer, other commune", "commune-officer", units.bo_ha, 404),
            PermissionCase("province agency, other province", "province-agency", units.ha_tinh, 404),
            PermissionCase("ministry office (view only)", "ministry-office", units.country, 200),
            PermissionCase("producer account, own", "producer", units.yen_the, 200, producer=product.producer),
            PermissionCase("producer account, other", "producer", units.bo_ha, 404, producer=other),
        ],
    )


def test_producer_of_another_product_in_the_same_commune_gets_404(client, units, product):
    neighbour = ProducerFactory(name="HTX Hàng xóm", address_unit=units.yen_the)
    client.force_login(make_user_with_role("producer", units.yen_the, producer=neighbour))
    assert client.get(_url(product)).status_code == 404
    assert client.post(_url(product), {"save": "1"}).status_code == 404


def test_producer_sees_the_sheet_of_the_products_set(producer_client, product):
    response = producer_client.get(_url(product))
    assert response.status_code == 200
    version = active_version(1)
    assert response.context["version"] == version
    assert response.context["tab"] == "self_assessment"
    assert response.context["can_change"]
    content = response.content.decode()
    codes = re.findall(r'data-testid="assess-criterion" data-code="([^"]+)"', content)
    assert codes == [leaf.code for leaf in version.to_sheet().leaves()]
    assert 'data-testid="save-assessment"' in content
    assert f'hx-post="{_url(product)}"' in content
    assert _testid(response, "total") == "0"
    assert 'aria-current="page" href="' + _url(product) + '" data-testid="self-assessment-tab"' in content


def test_htmx_post_returns_the_result_with_total_and_proposed_star(producer_client, product):
    sheet = active_version(1).to_sheet()
    response = producer_client.post(_url(product), post_data(answers_worth(sheet, 72, star=4)), **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="result"')
    assert "<html" not in content
    assert _testid(response, "total") == "72"
    assert _proposed_star(response) == 4
    assert not SelfAssessment.objects.exists(), "a preview stores nothing"


def test_htmx_post_explains_a_missed_minimum(producer_client, product):
    sheet = active_version(1).to_sheet()
    answers = max_answers(sheet) | {"2.3": option_key(sheet, "2.3", 1)}
    response = producer_client.post(_url(product), post_data(answers), **HTMX)
    assert response.status_code == 200
    assert _testid(response, "total") == "98"
    assert _proposed_star(response) == 3
    explanation = [
        _text(line)
        for line in re.findall(
            r"<li>(.*?)</li>", response.content.decode().split('data-testid="explanation"')[1].split("</ul>")[0]
        )
    ]
    label = next(option.label for option in sheet.leaf("2.3").options if option.points == 3)
    assert [line.split(" (")[0] for line in explanation] == [
        _unmet_prefix(4, "2.3", 3),
        _unmet_prefix(5, "2.3", 3),
    ]
    assert all(label[:40] in line and line.endswith("), " + _now() + " 1") for line in explanation)


def _unmet_prefix(star: int, code: str, required: int) -> str:
    message = "Not %(star)s★ yet: criterion %(code)s needs ≥ %(required)s points (%(option)s), now %(actual)s"
    text = _vi(message, star=star, code=code, required=required, option="@", actual="@")
    return text.split(" (@")[0]


def _now() -> str:
    message = "Not %(star)s★ yet: criterion %(code)s needs ≥ %(required)s points (%(option)s), now %(actual)s"
    return _vi(message, star="", code="", required="", option="", actual="").rsplit("), ", 1)[1].strip()


def test_post_with_save_stores_the_self_assessment(producer_client, product):
    sheet = active_version(1).to_sheet()
    answers = answers_worth(sheet, 72, star=4)
    response = producer_client.post(_url(product), post_data(answers, save="1"))
    assert response.status_code == 302
    assert response["Location"] == _url(product)
    assessment = SelfAssessment.objects.get(product=product)
    assert (assessment.rubric, assessment.answers) == (active_version(1), answers)
    assert (assessment.total, assessment.proposed_star, assessment.is_complete) == (Decimal(72), 4, True)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        _vi("The self-assessment has been saved.")
    ]

    page = producer_client.get(_url(product))
    assert _testid(page, "total") == "72"
    assert page.context["stored"] == assessment
    chosen = re.findall(r'value="([^"]+)" checked', page.content.decode())
    assert sorted(chosen) == sorted(answers.values())


def test_a_view_only_user_cannot_save(client, units, product):
    client.force_login(make_user_with_role("ministry-office", units.country))
    page = client.get(_url(product))
    assert page.status_code == 200
    assert not page.context["can_change"]
    assert 'data-testid="save-assessment"' not in page.content.decode()

    sheet = active_version(1).to_sheet()
    response = client.post(_url(product), post_data(max_answers(sheet), save="1"))
    assert response.status_code == 404
    assert not SelfAssessment.objects.exists()
    # A preview is still allowed: it stores nothing.
    preview = client.post(_url(product), post_data(max_answers(sheet)), **HTMX)
    assert preview.status_code == 200
    assert _testid(preview, "total") == "100"


def test_an_unclassified_product_asks_to_classify_first(producer_client, producer):
    product = ProductFactory(producer=producer, name="Chưa phân loại")
    response = producer_client.get(_url(product))
    assert response.status_code == 200
    assert response.context["no_sheet"]
    message = _block(response, "no-sheet")
    assert message.startswith(
        _text(
            _vi(
                "Classify the product in a product set under %(basis)s first: the self-assessment uses the criteria "
                "sheet of its set.",
                basis="QĐ 26/2026",
            )
        )
    )
    assert reverse("products:product_classify", args=[product.pk]) in response.content.decode()
    assert 'data-testid="assessment-form"' not in response.content.decode()
    assert producer_client.post(_url(product), {"save": "1"}).status_code == 404


@pytest.mark.parametrize("htmx", [False, True])
def test_an_option_of_another_criterion_is_refused_with_400_naming_the_criterion(producer_client, product, htmx):
    sheet = active_version(1).to_sheet()
    data = post_data(max_answers(sheet) | {"1.1": option_key(sheet, "2.1", 3)}, save="1")
    response = producer_client.post(_url(product), data, **(HTMX if htmx else {}))
    assert response.status_code == 400
    error = _testid(response, "assessment-error")
    assert error == _vi(
        "Criterion %(code)s: the option chosen belongs to criterion %(other)s.", code="1.1", other="2.1"
    )
    assert not SelfAssessment.objects.exists()


def test_an_unknown_option_is_refused_with_400(producer_client, product):
    response = producer_client.post(_url(product), {"c-1.1": "1.1#9", "save": "1"})
    assert response.status_code == 400
    assert "1.1#9" in _testid(response, "assessment-error")
    assert not SelfAssessment.objects.exists()


def test_two_options_for_one_criterion_are_refused_with_400(producer_client, product):
    sheet = active_version(1).to_sheet()
    data = {"c-2.3": [option_key(sheet, "2.3", 1), option_key(sheet, "2.3", 3)]}
    response = producer_client.post(_url(product), data, **HTMX)
    assert response.status_code == 400
    assert _testid(response, "assessment-error") == _vi(
        "Criterion %(code)s has two options chosen; choose exactly one.", code="2.3"
    )


@pytest.mark.parametrize(("sheet_number", "stored"), [(1, False), (1, True), (26, True)])
def test_self_assessment_page_query_count_is_constant(
    client, units, producer, django_assert_max_num_queries, sheet_number, stored
):
    product = ProductFactory(producer=producer, name=f"Sản phẩm bộ {sheet_number}")
    classify_product(
        product, category=ProductCategory.objects.get(legal_basis__code=BASIS_2026, sheet_number=sheet_number)
    )
    client.force_login(make_user_with_role("producer", units.yen_the, producer=producer))
    version = active_version(sheet_number)
    if stored:
        save_self_assessment(product, version, max_answers(version.to_sheet()) if sheet_number == 1 else {})
    client.get(_url(product))  # warm the per-process caches (roles, content types)
    # 11: session, user, memberships, the product in scope, the basis in force, the classification,
    # the sheet in use, the stored self-assessment, the basis' amendments (rules) and the scope
    # checks of the permissions. The sheet is read from the version's data: never a query per criterion.
    with django_assert_max_num_queries(12):
        response = client.get(_url(product))
    assert response.status_code == 200
    assert response.context["version"] == version


# ---------------------------------------------------------------------------------------------
# The trial self-assessment (public, nothing stored)
# ---------------------------------------------------------------------------------------------


def test_trial_is_public_and_stores_nothing(client):
    version = active_version(1)
    url = reverse("evaluation:rubric_try", args=[version.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="save-assessment"' not in page.content.decode()
    response = client.post(url, post_data(max_answers(version.to_sheet())), **HTMX)
    assert response.status_code == 200
    assert _testid(response, "total") == "100"
    assert _proposed_star(response) == 5
    assert not SelfAssessment.objects.exists()


def test_trial_of_a_bad_option_is_400(client):
    version = active_version(1)
    response = client.post(reverse("evaluation:rubric_try", args=[version.pk]), {"c-1.1": "2.1#1"}, **HTMX)
    assert response.status_code == 400
    assert "1.1" in _testid(response, "assessment-error")


def test_every_option_of_every_sheet_has_its_own_id_and_label(client):
    """Criterion 11 must not share ids with 1.1 (o-111-1…): a label would tick the other criterion."""
    for number in range(1, 27):
        version = active_version(number)
        content = client.get(reverse("evaluation:rubric_try", args=[version.pk])).content.decode()
        ids = re.findall(r'<input class="form-check-input" type="radio" [^>]*\bid="([^"]+)"', content)
        labels = re.findall(r'<label class="form-check-label[^"]*" for="([^"]+)"', content)
        options = sum(len(leaf.options) for leaf in version.to_sheet().leaves())
        assert len(ids) == len(set(ids)) == options, f"sheet {number}: duplicate option ids"
        assert labels == ids, f"sheet {number}: a label points at another option"
