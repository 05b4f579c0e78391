"""Permission matrices of every producer page (style.md §3.11): anonymous → sign-in, no role, the
wrong commune or province → 404 (403 for pages without an object), the right one → 200."""

import pytest
from django.urls import reverse

from tests.factories.producers import ProducerFactory
from tests.utils import PermissionCase, assert_permission_matrix

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _view_cases(units, producer):
    """Pages that show a producer: everyone holding can_view_registry where it is."""
    other = ProducerFactory(name="HTX Khác", address_unit=units.bo_ha)
    return [
        PermissionCase("anonymous", None, None, 302, anonymous=True),
        PermissionCase("no role", None, None, 404),
        PermissionCase("commune officer, same commune", "commune-officer", units.yen_the, 200),
        PermissionCase("commune officer, other commune", "commune-officer", units.bo_ha, 404),
        PermissionCase("province agency, same province", "province-agency", units.bac_ninh, 200),
        PermissionCase("province agency, other province", "province-agency", units.ha_tinh, 404),
        PermissionCase("ministry office", "ministry-office", units.country, 200),
        PermissionCase("council member, same province", "council-member", units.bac_ninh, 200),
        PermissionCase("producer account, own", "producer", units.yen_the, 200, producer=producer),
        PermissionCase("producer account, other", "producer", units.bo_ha, 404, producer=other),
    ]


def _change_cases(units, producer, *, allowed=200):
    """Pages that change a producer: can_manage_registry where it is (view-only roles get 404 too)."""
    other = ProducerFactory(name="HTX Khác", address_unit=units.bo_ha)
    return [
        PermissionCase("anonymous", None, None, 302, anonymous=True),
        PermissionCase("no role", None, None, 404),
        PermissionCase("commune officer, same commune", "commune-officer", units.yen_the, allowed),
        PermissionCase("commune officer, other commune", "commune-officer", units.bo_ha, 404),
        PermissionCase("province agency, same province", "province-agency", units.bac_ninh, allowed),
        PermissionCase("province agency, other province", "province-agency", units.ha_tinh, 404),
        PermissionCase("ministry office (view only)", "ministry-office", units.country, 404),
        PermissionCase("council member (view only)", "council-member", units.bac_ninh, 404),
        PermissionCase("producer account, own", "producer", units.yen_the, allowed, producer=producer),
        PermissionCase("producer account, other", "producer", units.bo_ha, 404, producer=other),
    ]


def _list_cases(units, producer):
    other = ProducerFactory(name="HTX Khác", address_unit=units.bo_ha)
    return [
        PermissionCase("anonymous", None, None, 302, anonymous=True),
        PermissionCase("no role", None, None, 403),
        PermissionCase("commune officer", "commune-officer", units.bo_ha, 200),
        PermissionCase("province agency", "province-agency", units.ha_tinh, 200),
        PermissionCase("ministry office", "ministry-office", units.country, 200),
        PermissionCase("council member", "council-member", units.bac_ninh, 200),
        PermissionCase("producer account", "producer", units.bo_ha, 200, producer=other),
    ]


@pytest.mark.parametrize(
    "name", ["producer_detail", "producer_legal_forms", "producer_figures", "producer_documents", "producer_history"]
)
def test_producer_tabs_permission_matrix(units, yen_the_producer, name):
    url = reverse(f"producers:{name}", kwargs={"pk": yen_the_producer.pk})
    assert_permission_matrix(url, _view_cases(units, yen_the_producer))


def test_document_download_permission_matrix(units, yen_the_producer, document):
    url = reverse("producers:document_download", kwargs={"pk": yen_the_producer.pk, "document_pk": document.pk})
    assert_permission_matrix(url, _view_cases(units, yen_the_producer))


def test_producer_update_permission_matrix(units, yen_the_producer):
    url = reverse("producers:producer_update", kwargs={"pk": yen_the_producer.pk})
    assert_permission_matrix(url, _change_cases(units, yen_the_producer))


@pytest.mark.parametrize("name", ["document_update", "document_delete"])
def test_document_change_pages_permission_matrix(units, yen_the_producer, document, name):
    url = reverse(f"producers:{name}", kwargs={"pk": yen_the_producer.pk, "document_pk": document.pk})
    assert_permission_matrix(url, _change_cases(units, yen_the_producer))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("producer_legal_forms", {}),
        ("producer_figures", {}),
        ("producer_documents", {}),
    ],
)
def test_tab_forms_refuse_posts_outside_the_change_scope(units, yen_the_producer, name, data):
    """An empty POST re-renders the form with errors (200) for those who may change, 404 for the rest."""
    url = reverse(f"producers:{name}", kwargs={"pk": yen_the_producer.pk})
    assert_permission_matrix(url, _change_cases(units, yen_the_producer), method="post", data=data)


def test_document_delete_post_permission_matrix(units, yen_the_producer, vietgap):
    from ocop.producers.services import add_document

    spare = add_document(yen_the_producer, document_type=vietgap, number="VG-spare")
    for case in _change_cases(units, yen_the_producer, allowed=302):
        # Each allowed user deletes a document of their own; refused users aim at the spare one.
        target = add_document(yen_the_producer, document_type=vietgap, number="VG-x") if case.expected == 302 else spare
        url = reverse("producers:document_delete", kwargs={"pk": yen_the_producer.pk, "document_pk": target.pk})
        assert_permission_matrix(url, [case], method="post")
    remaining = list(yen_the_producer.documents.values_list("number", flat=True))
    assert remaining == ["VG-spare", "VG-x"]  # the anonymous request's target is left too


def test_producer_create_permission_matrix(units, yen_the_producer):
    other = ProducerFactory(name="HTX Khác", address_unit=units.bo_ha)
    url = reverse("producers:producer_create")
    assert_permission_matrix(
        url,
        [
            PermissionCase("anonymous", None, None, 302, anonymous=True),
            PermissionCase("no role", None, None, 403),
            PermissionCase("commune officer", "commune-officer", units.yen_the, 200),
            PermissionCase("province agency", "province-agency", units.bac_ninh, 200),
            PermissionCase("ministry office (view only)", "ministry-office", units.country, 403),
            PermissionCase("council member (view only)", "council-member", units.bac_ninh, 403),
            PermissionCase("producer account, own", "producer", units.yen_the, 403, producer=yen_the_producer),
            PermissionCase("producer account, other", "producer", units.bo_ha, 403, producer=other),
        ],
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_producer_export_permission_matrix(units, yen_the_producer, fmt):
    url = reverse("producers:producer_export", kwargs={"fmt": fmt})
    assert_permission_matrix(url, _list_cases(units, yen_the_producer))


def test_commune_options_needs_only_a_signed_in_user(units):
    url = reverse("producers:commune_options") + f"?province={units.bac_ninh.pk}"
    assert_permission_matrix(
        url,
        [
            PermissionCase("anonymous", None, None, 302, anonymous=True),
            PermissionCase("no role", None, None, 200),
            PermissionCase("commune officer", "commune-officer", units.son_ha, 200),
        ],
    )
