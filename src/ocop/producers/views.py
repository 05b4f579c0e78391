"""Staff pages of the producer registry: the list and its exports, create and edit, the detail tabs
(overview, legal form history, yearly figures, evidence vault, history) and document downloads.

Rows come from ``producers_for_user``; an object outside the user's scope answers 404. Writes go
through the forms, which call ``producers.services``.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views import View
from django.views.generic import DetailView, FormView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ocop.accounts.enums import Capability
from ocop.core.spreadsheets import Column, csv_response, write_xlsx, xlsx_response
from ocop.core.views import HistoryTabView, ScopedListMixin, ScopedObjectMixin
from ocop.producers.enums import CooperativeRating, DocumentCategory, Gender, LegalForm
from ocop.producers.filters import ProducerFilter
from ocop.producers.forms import (
    DocumentForm,
    FinancialYearForm,
    LegalFormChangeForm,
    ProducerForm,
    current_communes,
    current_province,
)
from ocop.producers.selectors import annotate_document_alerts, documents_of, producers_for_user
from ocop.producers.services import delete_document
from ocop.producers.sizing import EconomicSector, SizeClass
from ocop.producers.tables import ProducerTable

VIEW = "producers.view_producer"
CHANGE = "producers.change_producer"


def _list_queryset(user):
    """The scoped producers with what the list, its filters and its exports show (fixed query count)."""
    queryset = producers_for_user(user).annotate(product_count=Count("products"))
    return annotate_document_alerts(queryset).order_by("name_folded", "pk")


def _detail_queryset(user, *, capability: str = Capability.VIEW_REGISTRY):
    queryset = producers_for_user(user, capability=capability).select_related(
        "representative_ethnicity", "address_unit__parent"
    )
    return annotate_document_alerts(queryset)


# ---------------------------------------------------------------------------------------------
# List and exports
# ---------------------------------------------------------------------------------------------
class ProducerListView(ScopedListMixin, SingleTableMixin, FilterView):
    permission_required = VIEW
    template_name = "producers/producer_list.html"
    table_class = ProducerTable
    filterset_class = ProducerFilter
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return _list_queryset(self.request.user)

    def get_template_names(self):
        if self.request.htmx:
            return ["producers/producer_list.html#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = QueryDict(mutable=True)
        for key, values in self.request.GET.lists():
            if key not in ("page", "sort"):
                query.setlist(key, [value for value in values if value])
        context["export_query"] = query.urlencode()
        return context


#: Export columns (Vietnamese headers: the file is a Vietnamese document whatever the UI language).
EXPORT_COLUMNS = [
    Column("name", "Tên chủ thể", width=36),
    Column("legal_form", "Loại hình", width=28),
    Column("tax_code", "Mã số thuế", width=16),
    Column("registration_number", "Số đăng ký kinh doanh", width=20),
    Column("registration_issued_on", "Ngày cấp đăng ký", kind="date", width=14),
    Column("registration_issuer", "Cơ quan cấp đăng ký", width=28),
    Column("established_on", "Ngày thành lập", kind="date", width=14),
    Column("main_sector", "Lĩnh vực kinh doanh chính", width=30),
    Column("representative_name", "Người đại diện", width=24),
    Column("representative_position", "Chức vụ người đại diện", width=20),
    Column("representative_gender", "Giới tính người đại diện", width=12),
    Column("representative_ethnicity", "Dân tộc người đại diện", width=14),
    Column("address", "Địa chỉ (thôn, số nhà)", width=30),
    Column("commune", "Xã/phường", width=22),
    Column("province", "Tỉnh/thành phố", width=20),
    Column("phone", "Điện thoại", width=14),
    Column("email", "Email", width=26),
    Column("website", "Trang web", width=26),
    Column("labour_total", "Tổng số lao động", kind="int", width=12),
    Column("labour_local", "Lao động địa phương", kind="int", width=12),
    Column("labour_insured", "Lao động tham gia BHXH", kind="int", width=12),
    Column("member_count", "Số thành viên", kind="int", width=12),
    Column("cooperative_rating", "Xếp loại HTX", width=12),
    Column("cooperative_rated_year", "Năm xếp loại", width=10),
    Column("size_class", "Quy mô doanh nghiệp", width=16),
    Column("product_count", "Số sản phẩm", kind="int", width=10),
    Column("has_expiring_document", "Có giấy tờ sắp hết hạn", width=12),
    Column("has_expired_document", "Có giấy tờ đã hết hạn", width=12),
    Column("created_at", "Ngày đưa vào hệ thống", kind="date", width=14),
]
_YES = "Có"


def _vietnamese_labels() -> dict[str, dict[str, str]]:
    with translation.override("vi"):
        return {
            name: {value: str(label) for value, label in choices}
            for name, choices in (
                ("legal_form", LegalForm.choices),
                ("main_sector", EconomicSector.choices),
                ("representative_gender", Gender.choices),
                ("cooperative_rating", CooperativeRating.choices),
                ("size_class", SizeClass.choices),
            )
        }


def _export_rows(queryset):
    labels = _vietnamese_labels()
    for producer in queryset.iterator(chunk_size=1000):
        row = {column.key: getattr(producer, column.key, None) for column in EXPORT_COLUMNS}
        for name, mapping in labels.items():
            row[name] = mapping.get(row[name], row[name]) or None
        ethnicity = producer.representative_ethnicity
        row["representative_ethnicity"] = ethnicity.name if ethnicity else None
        row["commune"] = producer.commune.name if producer.commune else None
        row["province"] = producer.province.name
        row["created_at"] = timezone.localdate(producer.created_at)
        row["has_expiring_document"] = _YES if producer.has_expiring_document else None
        row["has_expired_document"] = _YES if producer.has_expired_document else None
        yield row


class ProducerExportView(ScopedListMixin, View):
    """The filtered list as .xlsx or .csv (UTF-8 with BOM), same filters and scope as the page."""

    permission_required = VIEW

    def get(self, request, fmt: str):
        if fmt not in ("xlsx", "csv"):
            raise Http404(gettext("Not found."))
        queryset = _list_queryset(request.user).select_related("representative_ethnicity")
        filterset = ProducerFilter(request.GET or None, queryset=queryset, request=request)
        rows = _export_rows(filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none())
        filename = f"danh-sach-chu-the-ocop-{timezone.localdate():%Y-%m-%d}"
        if fmt == "xlsx":
            return xlsx_response(write_xlsx(EXPORT_COLUMNS, rows, sheet_title="Chủ thể OCOP"), f"{filename}.xlsx")
        return csv_response(EXPORT_COLUMNS, rows, f"{filename}.csv")


def commune_options(request):
    """``<option>`` rows of today's communes of a province, for the unit selects (htmx)."""
    province = current_province(request.GET.get("province"))
    communes = current_communes(province) if province is not None else []
    return render(request, "producers/_commune_options.html", {"communes": communes})


# ---------------------------------------------------------------------------------------------
# Create and edit
# ---------------------------------------------------------------------------------------------
class ProducerCreateView(ScopedListMixin, FormView):
    """Register a producer. Staff who manage the registry somewhere may open it (403 otherwise);
    the chosen commune must be inside their scope (checked by the form)."""

    permission_required = "producers.add_producer"
    form_class = ProducerForm
    template_name = "producers/producer_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        producer = form.save()
        if producer is None:
            return self.form_invalid(form)
        # vi: Đã đăng ký chủ thể %(name)s.
        messages.success(self.request, gettext("The producer %(name)s has been registered.") % {"name": producer})
        return redirect(producer)


class ProducerUpdateView(ScopedObjectMixin, SingleObjectMixin, FormView):
    permission_required = CHANGE
    form_class = ProducerForm
    template_name = "producers/producer_form.html"
    context_object_name = "producer"

    def get_queryset(self):
        return _detail_queryset(self.request.user, capability=Capability.MANAGE_REGISTRY)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def form_valid(self, form):
        if not form.changed_fields():
            # vi: Không có thay đổi nào.
            messages.info(self.request, gettext("Nothing was changed."))
            return redirect(self.object)
        producer = form.save()
        if producer is None:
            self.object.refresh_from_db()
            return self.form_invalid(form)
        # vi: Đã lưu các thay đổi.
        messages.success(self.request, gettext("The changes have been saved."))
        return redirect(producer)


# ---------------------------------------------------------------------------------------------
# Detail tabs
# ---------------------------------------------------------------------------------------------
class ProducerTabMixin(ScopedObjectMixin):
    """One tab of the producer page: the producer from the user's scope (404 outside it)."""

    permission_required = VIEW
    context_object_name = "producer"
    tab = "overview"

    def get_queryset(self):
        return _detail_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tab"] = self.tab
        context["can_change"] = self.request.user.has_perm(CHANGE, self.object)
        return context


class ProducerDetailView(ProducerTabMixin, DetailView):
    template_name = "producers/producer_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["products"] = self.object.products.select_related("recorded_unit", "recorded_unit__province")
        return context


class ProducerTabFormView(ProducerTabMixin, DetailView):
    """A tab with a form that people with the change permission see and post (others get 404 on POST)."""

    form_class = None

    def get_form(self, data=None, files=None):
        return self.form_class(data, files, producer=self.object, user=self.request.user, **self.get_form_kwargs())

    def get_form_kwargs(self) -> dict:
        return {}

    def success_message(self, form, result) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["can_change"] and "form" not in context:
            context["form"] = self.get_form()
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not request.user.has_perm(CHANGE, self.object):
            raise Http404(gettext("Not found."))
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            result = form.save()
            if result is not None:
                messages.success(request, self.success_message(form, result))
                return redirect(request.path)
        self.object.refresh_from_db()
        return self.render_to_response(self.get_context_data(form=form))


class ProducerLegalFormView(ProducerTabFormView):
    template_name = "producers/producer_legal_forms.html"
    tab = "legal_forms"
    form_class = LegalFormChangeForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["periods"] = self.object.legal_form_periods.all()
        return context

    def success_message(self, form, result) -> str:
        # vi: Đã ghi nhận loại hình mới %(legal_form)s từ ngày %(date)s.
        return gettext("The new legal form %(legal_form)s is recorded from %(date)s.") % {
            "legal_form": result.get_legal_form_display(),
            "date": result.valid_from.strftime("%d/%m/%Y"),
        }


class ProducerFiguresView(ProducerTabFormView):
    template_name = "producers/producer_figures.html"
    tab = "figures"
    form_class = FinancialYearForm

    def get_context_data(self, **kwargs):
        self.years = list(self.object.financial_years.all())
        return super().get_context_data(years=self.years, **kwargs)

    def get_form_kwargs(self) -> dict:
        """``?year=2024`` fills the form with that year's figures, to correct them."""
        year = self.request.GET.get("year", "")
        for figures in getattr(self, "years", []):
            if str(figures.year) == year:
                return {
                    "initial": {
                        name: getattr(figures, name)
                        for name in ("year", "revenue", "profit", "total_capital", "average_insured_labour")
                    }
                }
        return {}

    def success_message(self, form, result) -> str:
        # vi: Đã lưu số liệu năm %(year)s.
        return gettext("The figures for %(year)s have been saved.") % {"year": result.year}


class ProducerDocumentsView(ProducerTabFormView):
    template_name = "producers/producer_documents.html"
    tab = "documents"
    form_class = DocumentForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups: dict[str, list] = {}
        for document in documents_of(self.object):
            groups.setdefault(document.document_type.category, []).append(document)
        labels = dict(DocumentCategory.choices)
        context["document_groups"] = [(labels[key], groups[key]) for key in DocumentCategory.values if key in groups]
        return context

    def success_message(self, form, result) -> str:
        # vi: Đã thêm giấy tờ vào kho hồ sơ minh chứng.
        return gettext("The document has been added to the evidence vault.")


class ProducerHistoryView(ProducerTabMixin, HistoryTabView):
    template_name = "producers/producer_history.html"
    tab = "history"


# ---------------------------------------------------------------------------------------------
# One document of the vault
# ---------------------------------------------------------------------------------------------
class DocumentMixin(ProducerTabMixin):
    """A document of a producer the user may change (404 outside scope or for another producer)."""

    permission_required = CHANGE
    tab = "documents"

    def get_queryset(self):
        return _detail_queryset(self.request.user, capability=Capability.MANAGE_REGISTRY)

    def get_document(self):
        return get_object_or_404(documents_of(self.object), pk=self.kwargs["document_pk"])

    def documents_url(self) -> str:
        return reverse("producers:producer_documents", kwargs={"pk": self.object.pk})

    def get_context_data(self, **kwargs):
        return super().get_context_data(document=self.document, documents_url=self.documents_url(), **kwargs)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.document = self.get_document()
        return self.render_to_response(self.get_context_data())


class DocumentUpdateView(DocumentMixin, DetailView):
    template_name = "producers/document_form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self._form())
        return super().get_context_data(**kwargs)

    def _form(self, data=None, files=None):
        return DocumentForm(data, files, producer=self.object, user=self.request.user, instance=self.document)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.document = self.get_document()
        form = self._form(request.POST, request.FILES)
        if form.is_valid() and form.save() is not None:
            # vi: Đã cập nhật giấy tờ.
            messages.success(request, gettext("The document has been updated."))
            return redirect(self.documents_url())
        return self.render_to_response(self.get_context_data(form=form))


class DocumentDeleteView(DocumentMixin, DetailView):
    template_name = "producers/document_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        delete_document(self.get_document(), actor=request.user)
        # vi: Đã xóa giấy tờ.
        messages.success(request, gettext("The document has been deleted."))
        return redirect(self.documents_url())


class DocumentDownloadView(ScopedObjectMixin, SingleObjectMixin, View):
    """Stream a vault file as an attachment with its original name (404 outside scope)."""

    permission_required = VIEW

    def get_queryset(self):
        return producers_for_user(self.request.user)

    def get(self, request, *args, **kwargs):
        producer = self.get_object()
        document = get_object_or_404(producer.documents.all(), pk=kwargs["document_pk"])
        if not document.file:
            raise Http404(gettext("Not found."))
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404(gettext("Not found.")) from None
        filename = document.original_filename or PurePath(document.file.name).name
        return FileResponse(handle, as_attachment=True, filename=filename)
