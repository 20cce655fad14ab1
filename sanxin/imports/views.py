from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sanxin.core.audit import audit_record
from sanxin.core.exports import xlsx_response
from sanxin.core.listing import list_page
from sanxin.core.views_helpers import apply_validation_error, capability_required, posted, posted_files
from sanxin.imports import services
from sanxin.imports.models import ImportJob, ImportMode
from sanxin.imports.registry import get_spec
from sanxin.imports.selectors import access_import_job, import_job_list
from sanxin.imports.tasks import run_import
from sanxin.imports.templates_xlsx import errors_bytes, template_bytes

ERRORS_ON_PAGE = 200


class UploadForm(forms.Form):
    file = forms.FileField(label="文件", help_text="Excel（.xlsx）或 CSV（UTF-8 / GB18030），最大 200 MB")
    mode = forms.ChoiceField(label="导入方式", choices=ImportMode.choices, initial=ImportMode.ALL, widget=forms.RadioSelect)


@capability_required("imports.use")
def upload(request, registry):
    spec = get_spec(registry, user=request.user)
    form = UploadForm(posted(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request.user, registry=spec.key, upload=form.cleaned_data["file"], mode=form.cleaned_data["mode"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            run_import.enqueue(job.pk)
            return redirect("imports:job_detail", pk=job.pk)
    return render(request, "imports/upload.html", {"form": form, "spec": spec})


@capability_required("imports.use")
def template(request, registry):
    spec = get_spec(registry, user=request.user)
    return xlsx_response(f"{spec.label}导入模板.xlsx", template_bytes(spec))


@capability_required("imports.use")
def job_list(request):
    jobs = import_job_list(user=request.user)
    services.import_jobs_fail_stale(jobs)  # a job whose worker died shows as failed, with the reason and a retry
    listing = list_page(request, jobs, sortable={"created": "id", "file": "filename"}, default_sort="-created")
    return render(request, "imports/job_list.html", {"listing": listing})


@login_required
def job_detail(request, pk):
    job = access_import_job(pk, user=request.user)
    if job.stale and services.import_jobs_fail_stale(ImportJob.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    context = {"job": job, "errors": job.errors[:ERRORS_ON_PAGE], "more_errors": max(len(job.errors) - ERRORS_ON_PAGE, 0)}
    if request.headers.get("HX-Request"):
        return render(request, "imports/job_status.html", context)
    return render(request, "imports/job_detail.html", context)


@login_required
def job_errors(request, pk):
    job = access_import_job(pk, user=request.user)
    audit_record(actor=request.user, action="import.errors_download", obj=job, detail={"rows": len(job.errors)})
    return xlsx_response(f"错误清单-{job.filename}.xlsx", errors_bytes(job.errors))


@require_POST
@login_required
def job_retry(request, pk):
    """Run a failed job's stored file again, as a new job (the uploader only)."""
    job = access_import_job(pk, user=request.user)
    try:
        retry = services.import_job_retry(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("imports:job_detail", pk=job.pk)
    run_import.enqueue(retry.pk)
    messages.success(request, f"已重新导入“{job.filename}”")
    return redirect("imports:job_detail", pk=retry.pk)
