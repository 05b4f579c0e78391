"""Pages of the criteria engine: sheets by legal basis, one sheet, its PDF and files, import of a
new version (with a diff), and the self-assessment on a sheet (a product's, or a trial one).

The criteria sheets are public law: anyone may read them. Drafts are shown only to holders of
``evaluation.manage_rubrics`` (404 for others). A self-assessment belongs to a product in the
user's scope (404 otherwise); saving needs ``products.change_product`` on it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from ocop.evaluation.engine import ScoringError, minimums, next_star_plan, score, two_options_error
from ocop.evaluation.enums import RubricStatus
from ocop.evaluation.forms import RubricImportForm
from ocop.evaluation.models import RubricVersion
from ocop.evaluation.rubric_io import RubricDataError, diff_sheets, dump_yaml
from ocop.evaluation.selectors import rubric_for_product, rubric_versions
from ocop.evaluation.services import (
    activate_rubric_version,
    discard_rubric_draft,
    import_rubric_file,
    save_self_assessment,
    star_rules_for,
)
from ocop.legal.selectors import criteria_legal_bases, effective_parameters, rule_periods
from ocop.products.selectors import products_for_user

MANAGE = "evaluation.manage_rubrics"


def visible_versions(user):
    versions = rubric_versions()
    if not user.has_perm(MANAGE):
        versions = versions.exclude(status=RubricStatus.DRAFT)
    return versions


def get_version(request, pk: int) -> RubricVersion:
    return get_object_or_404(visible_versions(request.user), pk=pk)


@method_decorator(login_not_required, name="dispatch")
class RubricListView(TemplateView):
    """Every criteria decision with its rules (bands, recognition, calendar…) and its sheets."""

    template_name = "evaluation/rubric_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(visible_versions(self.request.user).exclude(status=RubricStatus.RETIRED))
        bases = []
        for basis in criteria_legal_bases().order_by("-effective_from"):
            parameters = effective_parameters(basis)
            bases.append(
                {
                    "basis": basis,
                    "parameters": parameters,
                    "sheets": [version for version in versions if version.legal_basis_id == basis.pk],
                }
            )
        context["bases"] = bases
        context["periods"] = rule_periods()
        context["can_manage"] = self.request.user.has_perm(MANAGE)
        return context


@method_decorator(login_not_required, name="dispatch")
class RubricDetailView(TemplateView):
    template_name = "evaluation/rubric_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = get_version(self.request, kwargs["pk"])
        sheet = version.to_sheet()
        context.update(
            version=version,
            sheet=sheet,
            minimums=sorted(minimums(sheet).items()),
            history=list(rubric_versions(version.legal_basis).filter(sheet_number=version.sheet_number)),
            can_manage=self.request.user.has_perm(MANAGE),
        )
        if version.status == RubricStatus.DRAFT:
            current = (
                rubric_versions(version.legal_basis)
                .filter(sheet_number=version.sheet_number, status=RubricStatus.ACTIVE)
                .first()
            )
            context["current"] = current
            context["changes"] = diff_sheets(current.to_sheet() if current else None, sheet)
        return context


@method_decorator(login_not_required, name="dispatch")
class RubricPdfView(View):
    def get(self, request, pk: int):
        from ocop.evaluation.pdf import render_blank_sheet_pdf  # noqa: PLC0415 - WeasyPrint loads lazily

        version = get_version(request, pk)
        product = None
        if request.GET.get("product"):
            product = products_for_user(request.user).filter(pk=request.GET["product"]).first()
            if product is None:
                raise Http404(_("Not found."))
        response = HttpResponse(render_blank_sheet_pdf(version, product=product), content_type="application/pdf")
        filename = f"bo-tieu-chi-{version.sheet_number:02d}-v{version.version}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


@method_decorator(login_not_required, name="dispatch")
class RubricExportView(View):
    def get(self, request, pk: int, fmt: str):
        version = get_version(request, pk)
        stem = f"bo-tieu-chi-{version.sheet_number:02d}-v{version.version}"
        if fmt == "yaml":
            response = HttpResponse(dump_yaml(version.data), content_type="application/yaml; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{stem}.yaml"'
            return response
        if fmt == "xlsx":
            from ocop.evaluation.rubric_xlsx import write_sheet_xlsx  # noqa: PLC0415

            response = HttpResponse(
                write_sheet_xlsx(version.data),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
            return response
        raise Http404(_("Not found."))


class RubricImportView(FormView):
    """Upload a corrected or new sheet (YAML or XLSX): it becomes a draft shown with its diff."""

    template_name = "evaluation/rubric_import.html"
    form_class = RubricImportForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            version = import_rubric_file(
                form.cleaned_data["legal_basis"],
                upload.read(),
                upload.name,
                actor=self.request.user,
                change_note=form.cleaned_data["change_note"],
            )
        except RubricDataError as error:
            for problem in error.problems[:50]:
                form.add_error("file", problem)
            if len(error.problems) > 50:
                form.add_error("file", _("… and %(count)s more problems.") % {"count": len(error.problems) - 50})
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Version %(version)s of sheet %(number)s was created as a draft: "
                "check the differences, then put it in use."
            )
            % {"version": version.version, "number": version.sheet_number},
        )
        return HttpResponseRedirect(reverse("evaluation:rubric_detail", kwargs={"pk": version.pk}))


class RubricTransitionView(View):
    """POST: put a draft in use (retiring the version in use) or discard it."""

    action = ""

    def post(self, request, pk: int):
        if not request.user.has_perm(MANAGE):
            raise Http404(_("Not found."))
        version = get_version(request, pk)
        try:
            if self.action == "activate":
                activate_rubric_version(version, actor=request.user)
                messages.success(request, _("The new version is in use; the previous one is retired."))
                return HttpResponseRedirect(reverse("evaluation:rubric_detail", kwargs={"pk": version.pk}))
            discard_rubric_draft(version, actor=request.user)
            messages.success(request, _("The draft has been deleted."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("evaluation:rubric_detail", kwargs={"pk": version.pk}))
        return HttpResponseRedirect(reverse("evaluation:rubric_list"))


# ---------------------------------------------------------------------------------------------
# Self-assessment
# ---------------------------------------------------------------------------------------------


def answers_from_post(sheet, data) -> dict[str, str]:
    """Criterion code → chosen option key from ``c-<code>`` fields; two values for one → error."""
    answers = {}
    for leaf in sheet.leaves():
        values = [value for value in data.getlist(f"c-{leaf.code}") if value]
        if len(values) > 1:
            raise two_options_error(leaf.code)
        if values:
            answers[leaf.code] = values[0]
    return answers


class SelfAssessmentMixin:
    template_name = "evaluation/self_assessment.html"

    def result_context(self, version, answers):
        sheet = version.to_sheet()
        rules = star_rules_for(version.legal_basis)
        context = {"version": version, "sheet": sheet, "answers": answers, "rules": rules}
        try:
            result = score(sheet, answers, rules)
            context["result"] = result
            context["plan"] = next_star_plan(sheet, answers, rules)
        except ScoringError as error:
            context["error"] = error
        return context

    def render_page(self, request, context, status=200):
        if request.htmx:
            return render(request, "evaluation/self_assessment.html#result", context, status=status)
        return render(request, self.template_name, context, status=status)


@method_decorator(login_not_required, name="dispatch")
class TrySheetView(SelfAssessmentMixin, View):
    """A self-assessment on any sheet in use, for anyone; nothing is stored."""

    def get(self, request, pk: int):
        version = get_version(request, pk)
        return self.render_page(request, self.result_context(version, {}))

    def post(self, request, pk: int):
        version = get_version(request, pk)
        sheet = version.to_sheet()
        try:
            answers = answers_from_post(sheet, request.POST)
        except ScoringError as error:
            context = self.result_context(version, {})
            context["error"] = error
            return self.render_page(request, context, status=400)
        context = self.result_context(version, answers)
        return self.render_page(request, context, status=400 if "error" in context else 200)


class ProductSelfAssessmentView(SelfAssessmentMixin, View):
    """The producer's self-assessment (Mẫu 02, Part III) on the sheet of the product's set."""

    def get_product(self, request, pk: int):
        product = products_for_user(request.user).filter(pk=pk).first()
        if product is None or not request.user.has_perm("products.view_product", product):
            raise Http404(_("Not found."))
        return product

    def context_for(self, request, product, answers=None):
        basis, version = rubric_for_product(product)
        context = {"product": product, "basis": basis, "tab": "self_assessment"}
        context["can_change"] = request.user.has_perm("products.change_product", product)
        if version is None:
            context["no_sheet"] = True
            return context
        if answers is None:
            stored = product.self_assessments.filter(rubric=version).first()
            answers = dict(stored.answers) if stored else {}
            context["stored"] = stored
        context.update(self.result_context(version, answers))
        return context

    def get(self, request, pk: int):
        product = self.get_product(request, pk)
        return self.render_page(request, self.context_for(request, product))

    def post(self, request, pk: int):
        product = self.get_product(request, pk)
        _basis, version = rubric_for_product(product)
        if version is None:
            raise Http404(_("Not found."))
        sheet = version.to_sheet()
        try:
            answers = answers_from_post(sheet, request.POST)
        except ScoringError as error:
            context = self.context_for(request, product, {})
            context["error"] = error
            return self.render_page(request, context, status=400)
        if request.htmx or "save" not in request.POST:
            context = self.context_for(request, product, answers)
            return self.render_page(request, context, status=400 if "error" in context else 200)
        if not request.user.has_perm("products.change_product", product):
            raise Http404(_("Not found."))
        try:
            save_self_assessment(product, version, answers, actor=request.user)
        except ScoringError as error:
            context = self.context_for(request, product, answers)
            context["error"] = error
            return self.render_page(request, context, status=400)
        messages.success(request, _("The self-assessment has been saved."))
        return HttpResponseRedirect(reverse("evaluation:product_self_assessment", kwargs={"pk": product.pk}))
