"""Staff pages of spreadsheet imports: upload, template download, progress and dry-run report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from ocop.core.exceptions import ApplicationError
from ocop.core.spreadsheets import Column, build_template, write_xlsx, xlsx_response
from ocop.core.views import ScopedListMixin, ScopedObjectMixin
from ocop.imports.enums import ImportKind, ImportState
from ocop.imports.forms import ImportConfirmForm, ImportUploadForm
from ocop.imports.registry import get_importer_class
from ocop.imports.selectors import import_jobs_for_user, job_progress
from ocop.imports.services import cancel_import_job, confirm_import, create_import_job

WORKER_HINT_AFTER_SECONDS = 15
BACK_TO = {ImportKind.PRODUCERS: "producers:producer_list", ImportKind.PRODUCTS: "products:product_list"}


def _kind_or_404(kind: str) -> str:
    if kind not in ImportKind.values:
        raise Http404
    return kind


class ImportJobListView(ScopedListMixin, ListView):
    permission_required = "imports.add_importjob"
    template_name = "imports/job_list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def get_queryset(self):
        return import_jobs_for_user(self.request.user)


class ImportJobCreateView(ScopedListMixin, FormView):
    permission_required = "imports.add_importjob"
    template_name = "imports/job_create.html"
    form_class = ImportUploadForm

    def dispatch(self, request, *args, **kwargs):
        self.kind = _kind_or_404(kwargs["kind"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        importer = get_importer_class(self.kind)(actor=self.request.user)
        context.update(
            kind=self.kind,
            kind_label=ImportKind(self.kind).label,
            columns=importer.columns,
            back_url=BACK_TO[self.kind],
            recent_jobs=import_jobs_for_user(self.request.user).filter(kind=self.kind)[:5],
        )
        return context

    def form_valid(self, form):
        try:
            job = create_import_job(kind=self.kind, upload=form.cleaned_data["file"], actor=self.request.user)
        except ValidationError as exc:
            for message in exc.message_dict.get("file", exc.messages):
                form.add_error("file", message)
            return self.form_invalid(form)
        return redirect(job.get_absolute_url())


class ImportTemplateView(ScopedListMixin, View):
    permission_required = "imports.add_importjob"

    def get(self, request, kind):
        kind = _kind_or_404(kind)
        importer = get_importer_class(kind)(actor=request.user)
        title = _("Import template: %(kind)s") % {"kind": ImportKind(kind).label}
        instructions = [str(line) for line in importer.instructions]
        content = build_template(importer.columns, title=title, instructions=instructions)
        return xlsx_response(content, _("ocop-import-%(kind)s.xlsx") % {"kind": kind})


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class ImportJobDetailView(ScopedObjectMixin, DetailView):
    """Progress and report. Not wrapped in a transaction: it polls while a long import holds the
    SQLite write lock, and reads only committed rows and the cache."""

    permission_required = "imports.view_importjob"
    context_object_name = "job"

    def get_queryset(self):
        return import_jobs_for_user(self.request.user)

    def get_template_names(self):
        if self.request.htmx:
            return ["imports/job_detail.html#status"]
        return ["imports/job_detail.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        done, total = job_progress(job)
        waited = (timezone.now() - (job.state_changed_at or job.created_at)).total_seconds()
        context.update(
            done=done,
            total=total,
            percent=min(100, round(100 * done / total)) if total else 0,
            back_url=BACK_TO.get(job.kind),
            confirm_form=ImportConfirmForm(),
            show_worker_hint=job.state in (ImportState.QUEUED, ImportState.IMPORT_QUEUED)
            and waited > WORKER_HINT_AFTER_SECONDS,
            can_confirm=job.state == ImportState.CHECKED and job.valid_row_count > 0,
        )
        return context


class _JobActionView(View):
    permission_required = "imports.change_importjob"

    def get_job(self, pk):
        job = get_object_or_404(import_jobs_for_user(self.request.user), pk=pk)
        if not self.request.user.has_perm(self.permission_required, job):
            raise Http404
        return job


class ImportJobConfirmView(_JobActionView):
    def post(self, request, pk):
        job = self.get_job(pk)
        form = ImportConfirmForm(request.POST)
        form.is_valid()
        try:
            confirm_import(job, valid_only=form.cleaned_data.get("valid_only", False), actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(job.get_absolute_url())


class ImportJobCancelView(_JobActionView):
    def post(self, request, pk):
        job = self.get_job(pk)
        try:
            cancel_import_job(job, actor=request.user)
            messages.success(request, _("The import was cancelled; nothing was saved."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(job.get_absolute_url())


class ImportJobErrorsView(_JobActionView):
    permission_required = "imports.view_importjob"

    def get(self, request, pk):
        job = self.get_job(pk)
        columns = [
            Column("row", _("Row"), kind="int", width=8),
            Column("column", _("Column"), width=28),
            Column("value", _("Value"), width=28),
            Column("message", _("Problem"), width=80),
        ]
        content = write_xlsx(columns, job.errors, sheet_title=_("Problems"))
        stem = job.original_filename.rsplit(".", 1)[0]
        return xlsx_response(content, _("problems-%(file)s.xlsx") % {"file": stem})
