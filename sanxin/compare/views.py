from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sanxin.accounts.roles import Cap
from sanxin.compare import services
from sanxin.compare.models import ComparisonRow, Outcome, RegistryComparison
from sanxin.compare.tasks import run_comparison
from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page
from sanxin.core.scope import access, scoped
from sanxin.core.views_helpers import apply_validation_error, capability_required
from sanxin.regions.selectors import region_root_code
from sanxin.regions.widgets import RegionPickerField


class CompareForm(forms.Form):
    region = RegionPickerField(label="比对范围", help_text="外部名录中的单位按所在区县与平台名录比对；范围外的行单列")
    file = forms.FileField(label="外部名录文件", help_text="与组织导入模板相同的列（统一社会信用代码可以为空），xlsx 或 CSV")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].bind_user(user)
        self.initial.setdefault("region", region_root_code(user))  # most compare their whole jurisdiction


def access_comparison(pk, *, user) -> RegistryComparison:
    return access(RegistryComparison.objects.select_related("region"), pk, user, capability=Cap.COMPARE)


@capability_required(Cap.COMPARE)
def comparison_list(request):
    form = CompareForm(request.POST or None, request.FILES or None, user=request.user)
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
    comparisons = scoped(RegistryComparison.objects.select_related("region"), request.user)
    listing = list_page(request, comparisons, sortable={"created": "id"}, default_sort="-created")
    return render(request, "compare/list.html", {"form": form, "listing": listing})


@capability_required(Cap.COMPARE)
def comparison_detail(request, pk):
    comparison = access_comparison(pk, user=request.user)
    outcome = request.GET.get("outcome", Outcome.REVIEW if comparison.counts.get("review") else Outcome.NEW)
    rows = scoped(comparison.rows.select_related("organization", "organization__region").filter(outcome=outcome), request.user)
    listing = list_page(request, rows, sortable={"row": "row_number", "score": "score"}, default_sort="row")
    tabs = [(value, label, comparison.counts.get(value, 0)) for value, label in Outcome.choices]
    context = {"comparison": comparison, "listing": listing, "outcome": outcome, "tabs": tabs}
    if request.headers.get("HX-Request"):
        response = render(request, "compare/status.html", context)
        if comparison.finished:
            response["HX-Refresh"] = "true"  # the result tabs come with the full page
        return response
    return render(request, "compare/detail.html", context)


def _row(comparison, row_pk, user) -> ComparisonRow:
    return access(comparison.rows.select_related("organization"), row_pk, user, capability=Cap.COMPARE)


@require_POST
@capability_required(Cap.COMPARE)
def review(request, pk, row_pk):
    comparison = access_comparison(pk, user=request.user)
    row = _row(comparison, row_pk, request.user)
    try:
        services.review_decide(actor=request.user, row=row, confirm=request.POST.get("decision") == "confirm")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    return redirect(f"{request.path.rsplit('/rows/', 1)[0]}/?outcome=review")


@require_POST
@capability_required(Cap.ORGS_MANAGE)
def create_new(request, pk):
    comparison = access_comparison(pk, user=request.user)
    rows = list(scoped(comparison.rows.filter(outcome=Outcome.NEW, acted=False), request.user))
    created, problems = services.create_new_organizations(actor=request.user, comparison=comparison, rows=rows)
    messages.success(request, f"已新增 {created} 个组织到名录")
    for problem in problems[:20]:
        messages.warning(request, f"第 {problem['row']} 行「{problem['column']}」“{problem['value']}”：{problem['reason']}")
    return redirect(f"/compare/{comparison.pk}/?outcome=new")


@require_POST
@capability_required(Cap.ORGS_MANAGE)
def deregister(request, pk):
    comparison = access_comparison(pk, user=request.user)
    chosen = [pk for pk in request.POST.getlist("row") if pk.isdigit()]
    rows = scoped(comparison.rows.select_related("organization").filter(outcome=Outcome.GONE, acted=False, pk__in=chosen), request.user)
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
]


@capability_required(Cap.COMPARE)
def export(request, pk):
    comparison = access_comparison(pk, user=request.user)
    rows = scoped(comparison.rows.select_related("organization"), request.user).order_by("outcome", "row_number")
    return export_list(request, title=f"数据比对结果-{comparison.filename}", columns=COLUMNS, rows=rows, action="compare")
