"""The administrator's page of a year's holidays and make-up working days (放假安排)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.core.views_helpers import apply_validation_error, capability_required
from sanxin.workdays import selectors, services
from sanxin.workdays.forms import AdjustmentForm


def _year(request) -> int:
    text = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(text) if text.isdigit() and 2000 <= int(text) <= this_year + 2 else this_year


@capability_required("workdays.manage")
def year_page(request):
    year = _year(request)
    form = AdjustmentForm(request.POST if request.method == "POST" else None)  # an empty POST is checked too
    if request.method == "POST" and form.is_valid():
        try:
            adjustment = services.workday_adjustment_save(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已录入 {adjustment.day:%Y-%m-%d}")
            return redirect(f"{request.path}?year={adjustment.day.year}")
    days = selectors.year_special_days(year)
    this_year = timezone.localdate().year
    return render(
        request,
        "workdays/list.html",
        {"year": year, "days": days, "known": selectors.year_known(year, days), "form": form, "years": range(this_year - 2, this_year + 3)},
    )


@require_POST
@capability_required("workdays.manage")
def workday_adjustment_delete(request, pk):
    adjustment = selectors.access_adjustment(pk)
    services.workday_adjustment_delete(actor=request.user, adjustment=adjustment)
    messages.success(request, f"已删除 {adjustment.day:%Y-%m-%d} 的录入")
    return redirect(f"/workdays/?year={adjustment.day.year}")
