"""Pages of the dossier workflow: the producer's wizard, the commune inbox and review, the
province intake, downloads.

Every dossier comes from ``dossiers_for_user`` and is checked with ``has_perm``: outside the
user's scope, or not yet visible to them, the answer is 404. Every write goes through a service;
their ``DossierError`` becomes a message on the page and nothing is half-saved (services are
atomic). Forms carry the dossier ``version``: a stale page is refused with a clear message.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ocop.accounts.enums import DOSSIER_CAPABILITIES
from ocop.accounts.selectors import all_capabilities
from ocop.dossiers import documents
from ocop.dossiers.enums import (
    ALLOWED_TRANSITIONS,
    TRANSITION_PERMISSIONS,
    DossierError,
    DossierKind,
    DossierState,
    GeneratedDocumentKind,
)
from ocop.dossiers.flow import STEPS, get_step, next_step, previous_step
from ocop.dossiers.forms import (
    CommuneReviewForm,
    DossierCreateForm,
    EvidenceUploadForm,
    GeneralForm,
    NoteForm,
    ReceiveForm,
    RegistrationForm,
    ReturnForm,
    TextSectionForm,
    VaultEvidenceForm,
)
from ocop.dossiers.selectors import (
    LIST_DEFERRED,
    commune_inbox,
    deadline_of,
    dossiers_for_user,
    events_of,
    evidence_counts,
    evidence_of,
    get_dossier_for_user,
    products_user_can_file,
    province_inbox,
    state_counts,
    vault_documents_for,
    with_deadlines,
)
from ocop.dossiers.services import (
    accept_dossier,
    add_evidence_file,
    add_evidence_from_vault,
    changed_sections,
    create_dossier,
    dossier_definition,
    dossier_missing_items,
    forward_dossier,
    receive_dossier,
    remove_evidence,
    return_dossier,
    save_commune_review,
    save_dossier_answers,
    save_dossier_step,
    score_dossier,
    submit_dossier,
    withdraw_dossier,
)
from ocop.dossiers.validators import is_tourism
from ocop.evaluation.engine import ScoringError, next_star_plan
from ocop.evaluation.services import star_rules_for
from ocop.evaluation.views import answers_from_post

VIEW = "dossiers.view_dossier"
#: The permission each POST action needs on the dossier; without it the dossier is "not found".
ACTION_PERMISSIONS = {
    "submit": "dossiers.submit_dossier",
    "withdraw": "dossiers.withdraw_dossier",
    "receive": "dossiers.receive_dossier",
    "forward": "dossiers.review_dossier",
    "accept": "dossiers.check_dossier",
}
RETURN_PERMISSIONS = {
    DossierState.SUBMITTED: "dossiers.receive_dossier",
    DossierState.COMMUNE_REVIEW: "dossiers.review_dossier",
    DossierState.FORWARDED: "dossiers.check_dossier",
}


def get_dossier(request, pk: int, permission: str = VIEW):
    dossier = get_dossier_for_user(request.user, pk)
    if dossier is None or not request.user.has_perm(VIEW, dossier):
        raise Http404(_("Not found."))
    if permission != VIEW and not request.user.has_perm(permission, dossier):
        raise Http404(_("Not found."))
    return dossier


def show_error(request, error: DossierError) -> None:
    messages.error(request, str(error.message))
    for item in error.missing:
        messages.warning(request, str(item))


def detail_url(dossier) -> str:
    return reverse("dossiers:dossier_detail", kwargs={"pk": dossier.pk})


def step_url(dossier, step: str) -> str:
    return reverse("dossiers:dossier_step", kwargs={"pk": dossier.pk, "step": step})


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------


class DossierListView(View):
    """Every dossier the user may see, with state filter; the producer's "My dossiers"."""

    def get(self, request):
        if not all_capabilities(request.user) & DOSSIER_CAPABILITIES:
            raise PermissionDenied
        queryset = dossiers_for_user(request.user)
        counts = state_counts(queryset)
        state = request.GET.get("state", "")
        if state in DossierState.values:
            queryset = queryset.filter(state=state)
        rows = list(queryset.defer(*LIST_DEFERRED).order_by("-state_changed_at", "-pk")[:200])
        context = {
            "rows": with_deadlines(rows),
            "counts": counts,
            "states": DossierState.choices,
            "state": state,
            "can_create": request.user.has_perm("dossiers.add_dossier"),
            "can_inbox": request.user.has_perm("dossiers.view_commune_inbox"),
            "can_intake": request.user.has_perm("dossiers.view_province_inbox"),
        }
        return render(request, "dossiers/dossier_list.html", context)


class CommuneInboxView(View):
    """Submitted dossiers of the user's commune(s) with receipt numbers and SLA countdowns."""

    def get(self, request):
        if not request.user.has_perm("dossiers.view_commune_inbox"):
            raise PermissionDenied
        rows = with_deadlines(commune_inbox(request.user))
        overdue = sum(1 for _dossier, deadline in rows if deadline and deadline.is_overdue)
        return render(request, "dossiers/commune_inbox.html", {"rows": rows, "overdue": overdue})


class ProvinceInboxView(View):
    """Dossiers forwarded to the user's province, with the round each is proposed for."""

    def get(self, request):
        if not request.user.has_perm("dossiers.view_province_inbox"):
            raise PermissionDenied
        return render(request, "dossiers/province_inbox.html", {"rows": list(province_inbox(request.user))})


# ---------------------------------------------------------------------------------------------
# Create and detail
# ---------------------------------------------------------------------------------------------


class DossierCreateView(View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("dossiers.add_dossier"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        initial = {}
        product = self.request.GET.get("product")
        if product and product.isdigit():
            initial["product"] = int(product)
        kind = self.request.GET.get("kind")
        if kind in DossierKind.values:
            initial["kind"] = kind
        return DossierCreateForm(data, initial=initial, products=products_user_can_file(self.request.user))

    def get(self, request):
        return render(request, "dossiers/dossier_create.html", {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                dossier = create_dossier(
                    form.cleaned_data["product"],
                    kind=form.cleaned_data["kind"],
                    year=form.cleaned_data["year"],
                    actor=request.user,
                )
            except DossierError as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The draft dossier has been created; it is saved as you go."))
                return HttpResponseRedirect(step_url(dossier, "registration"))
        return render(request, "dossiers/dossier_create.html", {"form": form}, status=400)


def available_actions(user, dossier) -> set[str]:
    """Transition targets the user may trigger now (buttons shown)."""
    return {
        to_state
        for to_state in ALLOWED_TRANSITIONS.get(dossier.state, ())
        if user.has_perm(TRANSITION_PERMISSIONS[(dossier.state, to_state)], dossier)
    }


class DossierDetailView(View):
    def get(self, request, pk: int):
        dossier = get_dossier(request, pk)
        actions = available_actions(request.user, dossier)
        missing = dossier_missing_items(dossier) if dossier.is_editable else []
        review = getattr(dossier, "commune_review", None)
        events = list(events_of(dossier))
        last_return = next((event for event in reversed(events) if event.reasons), None)
        definition = dossier_definition(dossier)
        tourism = is_tourism(dossier)
        context = {
            "dossier": dossier,
            "deadline": deadline_of(dossier),
            "actions": actions,
            "missing": missing,
            "blocking": [item for item in missing if item.blocking],
            "events": events,
            "last_return": last_return
            if dossier.state in (DossierState.RETURNED, DossierState.PROVINCE_RETURNED)
            else None,
            "evidence": list(evidence_of(dossier)),
            "review": review,
            "changed": changed_sections(dossier) if dossier.submission_count else [],
            "steps": STEPS,
            "checks": [item for item in definition.completeness if not (tourism and item.skip_for_tourism)],
            "can_edit": dossier.is_editable and request.user.has_perm("dossiers.change_dossier", dossier),
            "can_review": request.user.has_perm("dossiers.review_dossier", dossier)
            and dossier.state == DossierState.COMMUNE_REVIEW,
            "version_form": NoteForm(initial={"version": dossier.version}),
            "return_form": ReturnForm(initial={"version": dossier.version}),
            "receive_form": ReceiveForm(
                initial={"version": dossier.version},
                checks=[item for item in definition.completeness if not (tourism and item.skip_for_tourism)],
            ),
            "documents_available": dossier.forwarded_at is not None,
            "S": DossierState,
        }
        return render(request, "dossiers/dossier_detail.html", context)


# ---------------------------------------------------------------------------------------------
# The wizard
# ---------------------------------------------------------------------------------------------


class DossierStepView(View):
    """One step of the producer's wizard; every save keeps the draft on the server."""

    def setup_step(self, request, pk: int, step: str):
        dossier = get_dossier(request, pk)
        current = get_step(step)
        if current is None:
            raise Http404(_("Not found."))
        self.dossier = dossier
        self.step = current
        self.editable = dossier.is_editable and request.user.has_perm("dossiers.change_dossier", dossier)
        self.definition = dossier_definition(dossier)
        return dossier

    def build_form(self, data=None):
        dossier = self.dossier
        step = self.step.identifier
        version = {"version": dossier.version}
        if step == "registration":
            initial = {**(dossier.registration or {}), **version}
            initial["sample_count"] = dossier.sample_count
            initial["declaration_accepted"] = dossier.declaration_accepted
            return RegistrationForm(data, initial=initial)
        if step == "general":
            return GeneralForm(data, initial=GeneralForm.initial_for(dossier), papers=self.definition.legal_papers)
        if step == "results":
            return TextSectionForm(
                data, initial={**(dossier.business_results or {}), **version}, items=self.definition.business_results
            )
        if step == "plan":
            return TextSectionForm(
                data, initial={**(dossier.plan_ahead or {}), **version}, items=self.definition.plan_ahead
            )
        return NoteForm(data, initial=version)

    def context(self, form, **extra):
        dossier = self.dossier
        missing = dossier_missing_items(dossier)
        context = {
            "dossier": dossier,
            "step": self.step,
            "steps": [(step, step.is_completed(missing)) for step in STEPS],
            "missing": missing,
            "step_missing": self.step.warnings(missing),
            "blocking": [item for item in missing if item.blocking],
            "form": form,
            "editable": self.editable,
            "next": next_step(self.step.identifier),
            "previous": previous_step(self.step.identifier),
            "evidence_counts": evidence_counts(dossier),
            "papers": self.definition.legal_papers,
            "tourism": is_tourism(dossier),
        }
        if self.step.identifier == "scoring":
            context.update(self.scoring_context(dossier.answers or {}))
        context.update(extra)
        return context

    def scoring_context(self, answers):
        dossier = self.dossier
        sheet = dossier.rubric.to_sheet()
        rules = star_rules_for(dossier.legal_basis)
        context = {"version": dossier.rubric, "sheet": sheet, "answers": answers, "rules": rules}
        _sheet, result = score_dossier(dossier) if answers == dossier.answers else (sheet, None)
        if result is None:
            from ocop.evaluation.engine import score  # noqa: PLC0415 - the preview of unsaved answers

            try:
                result = score(sheet, answers, rules)
            except ScoringError as error:
                context["error"] = error
        if result is not None:
            context["result"] = result
            context["plan"] = next_star_plan(sheet, answers, rules)
        return context

    def get(self, request, pk: int, step: str):
        self.setup_step(request, pk, step)
        return render(request, "dossiers/dossier_step.html", self.context(self.build_form()))

    def post(self, request, pk: int, step: str):
        dossier = self.setup_step(request, pk, step)
        if self.step.identifier == "scoring":
            return self.post_scoring(request)
        if self.step.identifier == "review":
            return HttpResponseRedirect(step_url(dossier, "review"))
        if not self.editable:
            raise Http404(_("Not found."))
        form = self.build_form(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below; nothing was saved."))
            return render(request, "dossiers/dossier_step.html", self.context(form), status=400)
        step = self.step.identifier
        if step == "registration" or step == "general":
            values = form.values(dossier)
        elif step == "results":
            values = {"business_results": form.values()}
        else:
            values = {"plan_ahead": form.values()}
        try:
            self.dossier = save_dossier_step(
                dossier, step, values, actor=request.user, expected_version=form.cleaned_data["version"]
            )
        except DossierError as error:
            show_error(request, error)
            self.dossier = get_dossier(request, pk)
            return render(request, "dossiers/dossier_step.html", self.context(form), status=409)
        messages.success(request, _("Saved."))
        target = next_step(step) if "next" in request.POST else self.step
        return HttpResponseRedirect(step_url(self.dossier, target.identifier))

    def post_scoring(self, request):
        dossier = self.dossier
        sheet = dossier.rubric.to_sheet()
        try:
            answers = answers_from_post(sheet, request.POST)
        except ScoringError as error:
            context = self.context(self.build_form(), error=error)
            return self.render_scoring(request, context, status=400)
        if request.htmx and "save" not in request.POST:
            context = self.context(self.build_form(), **self.scoring_context(answers))
            return self.render_scoring(request, context, status=400 if "error" in context else 200)
        if not self.editable:
            raise Http404(_("Not found."))
        try:
            self.dossier, _result = save_dossier_answers(
                dossier, answers, actor=request.user, expected_version=request.POST.get("version")
            )
        except ScoringError as error:
            context = self.context(self.build_form(), **self.scoring_context(answers))
            context["error"] = error
            return self.render_scoring(request, context, status=400)
        except DossierError as error:
            # A stale page: show it again with the producer's unsaved choices (nothing is lost).
            show_error(request, error)
            self.dossier = get_dossier(request, dossier.pk)
            context = self.context(self.build_form(), **self.scoring_context(answers))
            return self.render_scoring(request, context, status=409)
        messages.success(request, _("Saved."))
        target = next_step("scoring") if "next" in request.POST else self.step
        return HttpResponseRedirect(step_url(self.dossier, target.identifier))

    def render_scoring(self, request, context, status=200):
        if request.htmx:
            return render(request, "evaluation/self_assessment.html#result", context, status=status)
        return render(request, "dossiers/dossier_step.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# Evidence
# ---------------------------------------------------------------------------------------------


class EvidenceView(View):
    """Evidence for one criterion or one legal paper: upload (or camera), pick from the vault."""

    def target(self, request):
        criterion = (request.GET.get("criterion") or request.POST.get("criterion") or "").strip()
        paper = (request.GET.get("paper") or request.POST.get("paper") or "").strip()
        return criterion, paper

    def context(self, request, dossier, criterion, paper, **extra):
        definition = dossier_definition(dossier)
        paper_item = definition.paper(paper) if paper else None
        criterion_node = None
        if criterion:
            try:
                criterion_node = dossier.rubric.to_sheet().leaf(criterion)
            except ScoringError as error:
                raise Http404(_("Not found.")) from error
        if paper and paper_item is None:
            raise Http404(_("Not found."))
        items = [
            item
            for item in evidence_of(dossier)
            if (criterion and item.criterion_code == criterion)
            or (paper and item.paper_key == paper)
            or (not criterion and not paper)
        ]
        editable = dossier.is_editable and request.user.has_perm("dossiers.change_dossier", dossier)
        documents_list = vault_documents_for(dossier, paper_item.document_types if paper_item else ())
        context = {
            "dossier": dossier,
            "criterion": criterion,
            "criterion_node": criterion_node,
            "paper": paper_item,
            "items": items,
            "editable": editable,
            "upload_form": EvidenceUploadForm(),
            "vault_form": VaultEvidenceForm(documents=dossier.producer.documents.exclude(file="")),
            "vault_documents": documents_list,
            "limits": documents.upload_limits_for_display(),
            "back_url": step_url(dossier, "scoring") + f"#criterion-{criterion}"
            if criterion
            else step_url(dossier, "general"),
        }
        context.update(extra)
        return context

    def get(self, request, pk: int):
        dossier = get_dossier(request, pk)
        criterion, paper = self.target(request)
        return render(request, "dossiers/dossier_evidence.html", self.context(request, dossier, criterion, paper))

    def post(self, request, pk: int):
        dossier = get_dossier(request, pk, "dossiers.change_dossier")
        criterion, paper = self.target(request)
        context = self.context(request, dossier, criterion, paper)
        try:
            if "document" in request.POST:
                form = VaultEvidenceForm(request.POST, documents=dossier.producer.documents.exclude(file=""))
                if not form.is_valid():
                    context["vault_form"] = form
                    return render(request, "dossiers/dossier_evidence.html", context, status=400)
                add_evidence_from_vault(
                    dossier,
                    form.cleaned_data["document"],
                    actor=request.user,
                    criterion_code=criterion,
                    paper_key=paper,
                )
            else:
                files = request.FILES.copy()
                if not files.get("file") and files.get("camera"):
                    files["file"] = files["camera"]  # a photo taken with the phone's camera
                form = EvidenceUploadForm(request.POST, files)
                if not form.is_valid():
                    context["upload_form"] = form
                    return render(request, "dossiers/dossier_evidence.html", context, status=400)
                add_evidence_file(
                    dossier,
                    form.cleaned_data["file"],
                    actor=request.user,
                    criterion_code=criterion,
                    paper_key=paper,
                    note=form.cleaned_data.get("note") or "",
                )
        except ValidationError as error:
            form.add_error("file" if "file" in form.fields else None, error)
            key = "vault_form" if "document" in request.POST else "upload_form"
            context[key] = form
            return render(request, "dossiers/dossier_evidence.html", context, status=400)
        except DossierError as error:
            show_error(request, error)
            return render(request, "dossiers/dossier_evidence.html", context, status=400)
        messages.success(request, _("The evidence has been attached."))
        query = f"?criterion={criterion}" if criterion else f"?paper={paper}" if paper else ""
        return HttpResponseRedirect(reverse("dossiers:dossier_evidence", kwargs={"pk": dossier.pk}) + query)


class EvidenceDeleteView(View):
    def post(self, request, pk: int, evidence_pk: int):
        dossier = get_dossier(request, pk, "dossiers.change_dossier")
        evidence = dossier.evidence.filter(pk=evidence_pk).first()
        if evidence is None:
            raise Http404(_("Not found."))
        criterion, paper = evidence.criterion_code, evidence.paper_key
        try:
            remove_evidence(evidence, actor=request.user)
        except DossierError as error:
            show_error(request, error)
        else:
            messages.success(request, _("The evidence has been removed."))
        query = f"?criterion={criterion}" if criterion else f"?paper={paper}" if paper else ""
        return HttpResponseRedirect(reverse("dossiers:dossier_evidence", kwargs={"pk": dossier.pk}) + query)


class EvidenceFileView(View):
    """An evidence file, streamed from private storage to people who may see the dossier."""

    def get(self, request, pk: int, evidence_pk: int):
        dossier = get_dossier(request, pk)
        evidence = dossier.evidence.select_related("vault_document").filter(pk=evidence_pk).first()
        field = evidence.stored_file if evidence else None
        if not field or not field.storage.exists(field.name):
            raise Http404(_("Not found."))
        content_type = evidence.mime_type or mimetypes.guess_type(field.name)[0] or "application/octet-stream"
        response = FileResponse(
            field.open("rb"), content_type=content_type, as_attachment=True, filename=evidence.display_name
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# ---------------------------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------------------------


class TransitionView(View):
    """POST-only actions on a dossier; each calls one service with the page's version."""

    action = ""
    form_class = NoteForm

    def required_permission(self, dossier) -> str:
        if self.action == "return":
            return RETURN_PERMISSIONS.get(dossier.state, "dossiers.check_dossier")
        return ACTION_PERMISSIONS[self.action]

    def post(self, request, pk: int):
        dossier = get_dossier(request, pk)
        if not request.user.has_perm(self.required_permission(dossier), dossier):
            raise Http404(_("Not found."))
        form = self.get_form(request, dossier)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(detail_url(dossier))
        try:
            self.run(request, dossier, form)
        except DossierError as error:
            show_error(request, error)
            target = step_url(dossier, "review") if self.action == "submit" and error.missing else detail_url(dossier)
            return HttpResponseRedirect(target)
        messages.success(request, self.success_message())
        return HttpResponseRedirect(self.success_url(request, dossier))

    def get_form(self, request, dossier):
        return self.form_class(request.POST)

    def success_url(self, request, dossier) -> str:
        return detail_url(dossier)

    def run(self, request, dossier, form):
        version = form.cleaned_data["version"]
        note = form.cleaned_data.get("note", "")
        if self.action == "submit":
            return submit_dossier(dossier, actor=request.user, expected_version=version)
        if self.action == "withdraw":
            return withdraw_dossier(dossier, actor=request.user, note=note, expected_version=version)
        if self.action == "forward":
            return forward_dossier(dossier, actor=request.user, note=note, expected_version=version)
        if self.action == "accept":
            return accept_dossier(dossier, actor=request.user, note=note, expected_version=version)
        raise Http404(_("Not found."))

    def success_message(self) -> str:
        return {
            "submit": _("The dossier has been submitted."),
            "withdraw": _("The dossier has been withdrawn."),
            "forward": _("The dossier has been forwarded to the province."),
            "accept": _("The dossier has been accepted for evaluation."),
            "receive": _("The dossier has been received; assess the four contents next."),
            "return": _("The dossier has been returned with the reasons given."),
        }[self.action]


class ReceiveView(TransitionView):
    action = "receive"

    def get_form(self, request, dossier):
        definition = dossier_definition(dossier)
        tourism = is_tourism(dossier)
        checks = [item for item in definition.completeness if not (tourism and item.skip_for_tourism)]
        return ReceiveForm(request.POST, checks=checks)

    def run(self, request, dossier, form):
        return receive_dossier(
            dossier, actor=request.user, completeness=form.completeness(), expected_version=form.cleaned_data["version"]
        )

    def success_url(self, request, dossier) -> str:
        return reverse("dossiers:commune_review", kwargs={"pk": dossier.pk})


class ReturnView(TransitionView):
    action = "return"
    form_class = ReturnForm

    def run(self, request, dossier, form):
        return return_dossier(
            dossier,
            actor=request.user,
            reasons=form.reason_list(),
            note=form.cleaned_data.get("note", ""),
            expected_version=form.cleaned_data["version"],
        )


class CommuneReviewView(View):
    """Mẫu 03: the four contents, linked to the criteria they inform, and the proposal letter."""

    def setup_review(self, request, pk: int):
        dossier = get_dossier(request, pk, "dossiers.review_dossier")
        self.dossier = dossier
        self.topic_criteria = dossier_definition(dossier).topic_criteria(dossier.rubric.sheet_number)
        return dossier

    def context(self, form):
        dossier = self.dossier
        sheet = dossier.rubric.to_sheet()
        linked = {}
        for topic, codes in self.topic_criteria.items():
            rows = []
            for code in codes:
                try:
                    node = sheet.leaf(code)
                except ScoringError:
                    continue
                chosen = (dossier.answers or {}).get(code)
                option = next((option for option in node.options if option.key == chosen), None)
                rows.append({"code": code, "title": node.title, "option": option, "max": node.max_points})
            linked[topic] = rows
        return {
            "dossier": dossier,
            "form": form,
            "linked": linked,
            "editable": dossier.state == DossierState.COMMUNE_REVIEW,
            "evidence_counts": evidence_counts(dossier),
        }

    def get(self, request, pk: int):
        dossier = self.setup_review(request, pk)
        review = getattr(dossier, "commune_review", None)
        form = CommuneReviewForm(
            initial=CommuneReviewForm.initial_for(dossier, review), topic_criteria=self.topic_criteria
        )
        return render(request, "dossiers/commune_review.html", self.context(form))

    def post(self, request, pk: int):
        dossier = self.setup_review(request, pk)
        form = CommuneReviewForm(request.POST, topic_criteria=self.topic_criteria)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below; nothing was saved."))
            return render(request, "dossiers/commune_review.html", self.context(form), status=400)
        try:
            save_commune_review(
                dossier,
                actor=request.user,
                topics=form.topics(),
                expected_version=form.cleaned_data["version"],
                **form.review_fields(),
            )
        except DossierError as error:
            show_error(request, error)
            return render(request, "dossiers/commune_review.html", self.context(form), status=409)
        messages.success(request, _("The commune review has been saved."))
        if "forward" in request.POST:
            dossier = get_dossier(request, pk)
            try:
                forward_dossier(dossier, actor=request.user, expected_version=dossier.version)
            except DossierError as error:
                show_error(request, error)
                return HttpResponseRedirect(reverse("dossiers:commune_review", kwargs={"pk": pk}))
            messages.success(request, _("The dossier has been forwarded to the province."))
            return HttpResponseRedirect(detail_url(dossier))
        return HttpResponseRedirect(reverse("dossiers:commune_review", kwargs={"pk": pk}))


# ---------------------------------------------------------------------------------------------
# Documents and the e-dossier
# ---------------------------------------------------------------------------------------------


class DossierDocumentView(View):
    """Mẫu 01/02 (from the data, any time) and Mẫu 03/proposal (as issued at forwarding)."""

    def get(self, request, pk: int, name: str, fmt: str):
        dossier = get_dossier(request, pk)
        if name in ("mau01", "mau02") and fmt == "pdf":
            content = documents.render_form_pdf(dossier, name)
            filename = documents.file_name(dossier, name, fmt)
        elif name in GeneratedDocumentKind.values and fmt in ("pdf", "docx"):
            if dossier.forwarded_at is None and not request.user.has_perm("dossiers.review_dossier", dossier):
                raise Http404(_("Not found."))
            content, filename = documents.issued_document(dossier, name, fmt)
        else:
            raise Http404(_("Not found."))
        content_type = {"pdf": "application/pdf", "docx": documents.DOCX_MIME}[fmt]
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = documents.content_disposition(filename)
        response["Cache-Control"] = "private, no-store"
        return response


class DossierZipView(View):
    """The whole e-dossier as a ZIP with a manifest."""

    def get(self, request, pk: int):
        dossier = get_dossier(request, pk)
        handle, filename = documents.build_dossier_zip(dossier)
        response = FileResponse(handle, content_type="application/zip", as_attachment=True, filename=filename)
        response["Cache-Control"] = "private, no-store"
        return response
