"""Staff pages of the product registry: list (filters, exports), create/edit, detail tabs, photos.

Every object comes from ``products_for_user`` and is checked with ``has_perm`` on it: outside the
user's scope the answer is 404 (``ScopedObjectMixin``). Writes go through the forms, which call the
services; nothing here saves a model.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ocop.accounts.enums import Capability
from ocop.core.exceptions import ApplicationError
from ocop.core.spreadsheets import Column, csv_response, write_xlsx, xlsx_response
from ocop.core.views import HistoryTabView, ScopedListMixin, ScopedObjectMixin
from ocop.geography.selectors import current_units_for
from ocop.legal.selectors import criteria_legal_bases
from ocop.producers.enums import LegalForm
from ocop.producers.selectors import producers_for_user
from ocop.products.enums import CertificateStatus
from ocop.products.filters import ProductFilter, commune_choices
from ocop.products.forms import (
    TEXT_FIELDS,
    ProductClassifyForm,
    ProductCreateForm,
    ProductPhotoForm,
    ProductUpdateForm,
    category_choices,
)
from ocop.products.selectors import (
    certificate_status_of,
    classifications_of,
    code_units_of,
    photos_for_user,
    products_for_user,
    rerating_window_days,
    star_records_of,
)
from ocop.products.services import assign_product_code, delete_product_photo
from ocop.products.tables import ProductTable

VIEW = "products.view_product"
CHANGE = "products.change_product"


# ---------------------------------------------------------------------------------------------
# List and exports
# ---------------------------------------------------------------------------------------------
class ProductListView(ScopedListMixin, SingleTableMixin, FilterView):
    permission_required = VIEW
    template_name = "products/product_list.html"
    table_class = ProductTable
    filterset_class = ProductFilter
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return products_for_user(self.request.user)

    def get_template_names(self):
        if self.request.htmx:
            return ["products/product_list.html#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["export_query"] = query.urlencode()
        context["filters_active"] = any(value for key, value in query.items() if key not in ("q", "sort"))
        context["can_add"] = self.request.user.has_perm(CHANGE)
        return context


#: Columns of the exports (Vietnamese headers: the files are read by people, not re-imported).
EXPORT_COLUMNS = [
    Column("name", "Tên sản phẩm", width=36),
    Column("code", "Mã sản phẩm", width=22),
    Column("producer", "Chủ thể", width=36),
    Column("producer_tax_code", "Mã số thuế chủ thể", width=16),
    Column("legal_form", "Loại hình chủ thể", width=24),
    Column("set_code", "Mã bộ sản phẩm (26/2026)", width=12),
    Column("set_name", "Bộ sản phẩm (26/2026)", width=36),
    Column("stars", "Hạng sao", kind="int", width=10),
    Column("valid_until", "Hiệu lực đến", kind="date", width=14),
    Column("status", "Tình trạng chứng nhận", width=24),
    Column("commune", "Xã/phường", width=24),
    Column("province", "Tỉnh/thành phố", width=24),
]


class ProductExportView(ScopedListMixin, View):
    """The filtered (and sorted) product list as .xlsx or as CSV (UTF-8 with a BOM)."""

    permission_required = VIEW
    formats = ("xlsx", "csv")

    def get(self, request, fmt: str):
        if fmt not in self.formats:
            raise Http404
        filterset = ProductFilter(request.GET or None, queryset=products_for_user(request.user), request=request)
        # As on the list page: an invalid filter gives no rows rather than everything.
        valid = not filterset.is_bound or filterset.is_valid()
        queryset = filterset.qs if valid else filterset.queryset.none()
        table = ProductTable(queryset)
        if request.GET.get("sort"):
            table.order_by = request.GET["sort"]
        # Labels are translated now: a streamed CSV is written after the view has returned.
        labels = {
            "status": {str(value): str(label) for value, label in filterset.form.fields["status"].choices},
            "legal_form": {value: str(label) for value, label in LegalForm.choices},
        }
        rows = (self._row(product, filterset, labels) for product in table.data.data.iterator(chunk_size=1000))
        filename = f"san-pham-ocop-{timezone.localdate():%Y%m%d}.{fmt}"
        if fmt == "csv":
            return csv_response(EXPORT_COLUMNS, rows, filename)
        return xlsx_response(write_xlsx(EXPORT_COLUMNS, rows, sheet_title="Sản phẩm OCOP"), filename)

    @staticmethod
    def _row(product, filterset, labels) -> dict:
        producer = product.producer
        status = certificate_status_of(
            is_rated=product.is_rated,
            valid_until=product.latest_valid_until,
            today=filterset.today,
            window_days=filterset.window_days,
        )
        return {
            "name": product.name,
            "code": product.code,
            "producer": producer.name,
            "producer_tax_code": producer.tax_code,
            "legal_form": labels["legal_form"].get(producer.legal_form, producer.legal_form),
            "set_code": product.set_code,
            "set_name": product.set_name,
            "stars": product.stars_now,
            "valid_until": product.latest_valid_until,
            "status": labels["status"].get(status, ""),
            "commune": producer.commune.name if producer.commune else "",
            "province": producer.province.name if producer.province else "",
        }


def _options(request, choices, selected=""):
    """Render ``<option>``s (and ``<optgroup>``s for nested choices) for an htmx swap into a select."""
    entries = [
        {"group": value, "options": label} if isinstance(label, list | tuple) else {"value": value, "label": label}
        for value, label in choices
    ]
    return render(request, "products/_options.html", {"entries": entries, "selected": str(selected)})


class CommuneOptionsView(ScopedListMixin, View):
    """``<option>``s of the commune filter for one province (htmx, when the province changes)."""

    permission_required = VIEW

    def get(self, request):
        return _options(request, commune_choices(request.GET.get("province")))


class CategoryOptionsView(ScopedListMixin, View):
    """``<option>``s of the product set select for one legal basis (htmx, when the basis changes)."""

    permission_required = CHANGE

    def get(self, request):
        value = request.GET.get("legal_basis", "")
        basis = criteria_legal_bases().filter(pk=value).first() if value.isdigit() else None
        return _options(request, category_choices(basis))


# ---------------------------------------------------------------------------------------------
# Detail tabs
# ---------------------------------------------------------------------------------------------
class ProductObjectMixin(ScopedObjectMixin):
    """A product in the user's scope (404 otherwise) and what every tab of it needs."""

    permission_required = VIEW
    context_object_name = "product"
    tab = ""

    def get_queryset(self):
        return products_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tab"] = self.tab
        context["can_change"] = self.request.user.has_perm(CHANGE, self.object)
        return context


class ProductDetailView(ProductObjectMixin, DetailView):
    template_name = "products/product_detail.html"
    tab = "overview"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.object
        unit = product.recorded_unit
        context["recorded_rollup"] = current_units_for(unit) if unit and not unit.is_current else []
        context["text_fields"] = [
            (capfirst(product._meta.get_field(name).verbose_name), getattr(product, name)) for name in TEXT_FIELDS
        ]
        context["classifications"] = list(classifications_of(product))
        context["code_units"] = code_units_of(product)
        latest = star_records_of(product).first()
        window = rerating_window_days()
        status = certificate_status_of(
            is_rated=latest is not None,
            valid_until=latest.valid_until if latest else None,
            today=timezone.localdate(),
            window_days=window,
        )
        context["latest_star_record"] = latest
        context["certificate_status"] = CertificateStatus(status)
        context["rerating_window_days"] = window
        return context


class ProductStarHistoryView(ProductObjectMixin, DetailView):
    """Star history (lịch sử hạng sao), newest first; read-only (evaluation/certification fill it)."""

    template_name = "products/product_stars.html"
    tab = "stars"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["star_records"] = list(star_records_of(self.object))
        return context


class ProductHistoryView(ProductObjectMixin, HistoryTabView):
    template_name = "products/product_history.html"
    context_object_name = "product"
    tab = "history"


class ProductPhotosView(ProductObjectMixin, SingleObjectMixin, FormView):
    """The photo grid; a POST (change permission in scope, else 404) uploads one photo."""

    template_name = "products/product_photos.html"
    form_class = ProductPhotoForm
    tab = "photos"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not request.user.has_perm(CHANGE, self.object):
            raise Http404(_("Not found."))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "product": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["photos"] = list(self.object.photos.all())
        return context

    def form_valid(self, form):
        photo = form.save(actor=self.request.user)
        if photo is None:
            return self.form_invalid(form)
        messages.success(self.request, _("The photo has been added."))
        return HttpResponseRedirect(reverse("products:product_photos", kwargs={"pk": self.object.pk}))


class ProductPhotoFileView(View):
    """A photo or its thumbnail, streamed from private storage to users who may see the product."""

    variant = "image"

    def get(self, request, pk: int, photo_pk: int):
        photo = photos_for_user(request.user).filter(pk=photo_pk, product_id=pk).first()
        if photo is None or not request.user.has_perm(VIEW, photo.product):
            raise Http404(_("Not found."))
        field = photo.thumbnail if self.variant == "thumbnail" else photo.image
        if not field or not field.storage.exists(field.name):
            raise Http404(_("Not found."))
        content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
        response = FileResponse(field.open("rb"), content_type=content_type)
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ProductPhotoDeleteView(View):
    """Confirm (GET), then delete (POST) a photo: change permission on its product, else 404."""

    template_name = "products/product_photo_confirm_delete.html"

    def get_photo(self, request, pk: int, photo_pk: int):
        photo = photos_for_user(request.user).filter(pk=photo_pk, product_id=pk).first()
        if photo is None or not request.user.has_perm(CHANGE, photo.product):
            raise Http404(_("Not found."))
        return photo

    def get(self, request, pk: int, photo_pk: int):
        photo = self.get_photo(request, pk, photo_pk)
        return render(request, self.template_name, {"photo": photo, "product": photo.product})

    def post(self, request, pk: int, photo_pk: int):
        photo = self.get_photo(request, pk, photo_pk)
        delete_product_photo(photo, actor=request.user)
        messages.success(request, _("The photo has been deleted."))
        return HttpResponseRedirect(reverse("products:product_photos", kwargs={"pk": pk}))


# ---------------------------------------------------------------------------------------------
# Create, edit, classify, allocate a code
# ---------------------------------------------------------------------------------------------
class ProductCreateView(ScopedListMixin, FormView):
    """A new product; ``?producer=<pk>`` (from a producer page) fixes the producer (404 outside scope)."""

    permission_required = CHANGE
    template_name = "products/product_form.html"
    form_class = ProductCreateForm

    def get_producer(self):
        value = self.request.GET.get("producer", "")
        if not value:
            return None
        producers = producers_for_user(self.request.user, capability=Capability.MANAGE_REGISTRY)
        producer = producers.filter(pk=value).first() if value.isdigit() else None
        if producer is None:
            raise Http404(_("Not found."))
        return producer

    def get(self, request, *args, **kwargs):
        self.producer = self.get_producer()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.producer = self.get_producer()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET" and self.request.GET.get("legal_basis", "").isdigit():
            kwargs["initial"] = {**kwargs.get("initial", {}), "legal_basis": int(self.request.GET["legal_basis"])}
        return {**kwargs, "user": self.request.user, "producer": self.producer}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, producer=self.producer, creating=True)

    def form_valid(self, form):
        product = form.save(actor=self.request.user)
        if product is None:
            return self.form_invalid(form)
        if product.code:
            messages.success(
                self.request,
                _("The product “%(name)s” has been created with the code %(code)s.")
                % {"name": product.name, "code": product.code},
            )
        else:
            messages.success(self.request, _("The product “%(name)s” has been created.") % {"name": product.name})
        return HttpResponseRedirect(product.get_absolute_url())


class ProductObjectFormView(ProductObjectMixin, SingleObjectMixin, FormView):
    """A form on one product, for holders of the change permission in its scope (else 404)."""

    permission_required = CHANGE
    success_message = ""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "product": self.object}

    def form_valid(self, form):
        if form.save(actor=self.request.user) is None:
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.object.get_absolute_url())


class ProductUpdateView(ProductObjectFormView):
    template_name = "products/product_form.html"
    form_class = ProductUpdateForm

    @property
    def success_message(self):
        return _("The product has been saved.")


class ProductClassifyView(ProductObjectFormView):
    """Set or replace the product set under one legal basis (``?legal_basis=<pk>`` preselects it)."""

    template_name = "products/product_classify.html"
    form_class = ProductClassifyForm

    @property
    def success_message(self):
        return _("The classification has been saved.")

    def get_initial(self):
        value = self.request.GET.get("legal_basis", "")
        if not value.isdigit():
            return {}
        initial = {"legal_basis": int(value)}
        current = self.object.classifications.filter(legal_basis_id=int(value)).first()
        if current is not None:
            initial["category"] = current.category_id
        return initial


class ProductAssignCodeView(ProductObjectMixin, SingleObjectMixin, View):
    """POST: allocate the next ``T-X-STT-YYYY`` of the producer's commune (change permission, else 404)."""

    permission_required = CHANGE

    def post(self, request, *args, **kwargs):
        product = self.object = self.get_object()
        try:
            assign_product_code(product, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The code %(code)s has been allocated.") % {"code": product.code})
        return HttpResponseRedirect(product.get_absolute_url())
