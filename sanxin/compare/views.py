from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sanxin.compare import evidence, selectors, services
from sanxin.compare.models import ComparisonStatus, Outcome, RegistryComparison
from sanxin.compare.tasks import run_comparison
from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page, parse_id
from sanxin.core.views_helpers import apply_validation_error, capability_required, posted, posted_files
from sanxin.regions.selectors import region_root_code
from sanxin.regions.widgets import RegionPickerField


class CompareForm(forms.Form):
    region = RegionPickerField(label="比对范围", help_text="外部名录中的单位按所在区县与平台名录比对；范围外的行单列")
    file = forms.FileField(label="外部名录文件", help_text="与组织导入模板相同的列（统一社会信用代码可以为空），xlsx 或 CSV")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)
        self.initial.setdefault("region", region_root_code(user))  # most compare their whole jurisdiction


@capability_required("compare.use")
def comparison_list(request):
    form = CompareForm(posted(request), posted_files(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            comparison = services.comparison_create(
                actor=request.user, region=form.cleaned_data["region"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            run_comparison.enqueue(comparison.pk)
            return redirect("compare:detail", pk=comparison.pk)
    listing = list_page(request, selectors.comparison_list(user=request.user), sortable={"created": "id"}, default_sort="-created")
    services.comparisons_fail_stale(RegistryComparison.objects.filter(pk__in=[c.pk for c in listing.page]))
    counts = selectors.comparison_counts([c.pk for c in listing.page], user=request.user)
    rows = [(c, counts[c.pk]) for c in listing.page]
    return render(request, "compare/list.html", {"form": form, "listing": listing, "rows": rows})


@capability_required("compare.use")
def comparison_detail(request, pk):
    comparison = selectors.access_comparison(pk, user=request.user)
    if services.comparisons_fail_stale(RegistryComparison.objects.filter(pk=comparison.pk)):
        comparison = selectors.access_comparison(pk, user=request.user)  # its worker died: failed, with the reason
    counts = selectors.comparison_counts([comparison.pk], user=request.user)[comparison.pk]
    outcome = request.GET.get("outcome", "")
    if outcome not in Outcome.values:
        outcome = Outcome.REVIEW if counts[Outcome.REVIEW] else Outcome.NEW
    rows = selectors.comparison_rows(comparison, user=request.user, outcome=outcome)
    listing = list_page(request, rows, sortable={"row": "row_number", "score": "score"}, default_sort="row")
    tabs = [(value, label, counts[value]) for value, label in Outcome.choices]
    summary = selectors.result_summary(counts) if comparison.status == ComparisonStatus.DONE else comparison.message
    can_retry = comparison.status == ComparisonStatus.FAILED and comparison.user_id == request.user.pk
    context = {
        "comparison": comparison,
        "listing": listing,
        "rows": selectors.with_evidence(listing.page) if comparison.status == ComparisonStatus.DONE else [],
        "evidence_labels": evidence.labels,
        "outcome": outcome,
        "tabs": tabs,
        "summary": summary,
        "can_retry": can_retry,
    }
    if request.headers.get("HX-Request"):
        response = render(request, "compare/status.html", context)
        if comparison.finished:
            response["HX-Refresh"] = "true"  # the result tabs come with the full page
        return response
    return render(request, "compare/detail.html", context)


@require_POST
@capability_required("compare.use")
def review(request, pk, row_pk):
    comparison = selectors.access_comparison(pk, user=request.user)
    row = selectors.access_comparison_row(comparison, row_pk, user=request.user)
    try:
        services.review_decide(actor=request.user, row=row, decision=request.POST.get("decision", ""))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect(f"{request.path.rsplit('/rows/', 1)[0]}/?outcome=review")


@require_POST
@capability_required("compare.use")
def retry(request, pk):
    comparison = selectors.access_comparison(pk, user=request.user)
    try:
        services.comparison_retry(actor=request.user, comparison=comparison)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        run_comparison.enqueue(comparison.pk)
        messages.success(request, "已重新开始比对")
    return redirect("compare:detail", pk=comparison.pk)


@require_POST
@capability_required("orgs.manage")
def create_new(request, pk):
    comparison = selectors.access_comparison(pk, user=request.user)
    rows = list(selectors.comparison_rows(comparison, user=request.user, outcome=Outcome.NEW).filter(acted=False))
    created, problems = services.create_new_organizations(actor=request.user, comparison=comparison, rows=rows)
    messages.success(request, f"已新增 {created} 个组织到名录")
    for problem in problems[:20]:
        messages.warning(request, f"第 {problem['row']} 行「{problem['column']}」“{problem['value']}”：{problem['reason']}")
    return redirect(f"/compare/{comparison.pk}/?outcome=new")


@require_POST
@capability_required("orgs.manage")
def deregister(request, pk):
    comparison = selectors.access_comparison(pk, user=request.user)
    chosen = [row for row in map(parse_id, request.POST.getlist("row")) if row is not None]
    rows = selectors.comparison_rows(comparison, user=request.user, outcome=Outcome.GONE).filter(acted=False, pk__in=chosen)
    if not chosen:
        messages.error(request, "请先勾选要标记的单位")
        return redirect(f"/compare/{comparison.pk}/?outcome=gone")
    done = services.deregister_gone(actor=request.user, comparison=comparison, rows=list(rows))
    messages.success(request, f"已按外部名录将 {done} 个组织标记为注销、吊销或迁出")
    return redirect(f"/compare/{comparison.pk}/?outcome=gone")


COLUMNS = [
    Column("行号", lambda r: r.row_number),
    Column("结果", lambda r: r.get_outcome_display()),
    Column("外部名录单位名称", lambda r: r.values.get("单位名称", ""), 30),
    Column("外部名录统一社会信用代码", lambda r: r.values.get("统一社会信用代码", ""), 22),
    Column("平台单位名称", lambda r: r.organization.name if r.organization else "", 30),
    Column("平台统一社会信用代码", lambda r: r.organization.credit_code if r.organization else "", 22),
    Column("相似度", lambda r: r.score),
    Column("依据", lambda r: r.reason, 30),
    Column("核实结论", lambda r: r.get_decision_display()),
    Column("比对依据明细", lambda r: evidence.text(r.evidence), 30),
    Column("信用代码待更正", lambda r: "是" if r.code_differs else ""),
]


@capability_required("compare.use")
def export(request, pk):
    comparison = selectors.access_comparison(pk, user=request.user)
    rows = selectors.comparison_rows(comparison, user=request.user).order_by("outcome", "row_number")
    return export_list(request, title=f"数据比对结果-{comparison.filename}", columns=COLUMNS, rows=rows, action="compare")
