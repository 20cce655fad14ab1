"""Staff pages (/points/: the report by kind and region, the earning rules, the rewards catalogue, redemptions to
hand over or cancel, a worker's ledger) and the worker's phone pages (/w/points/: balance and history, the
catalogue, my redemptions with the code to show)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.core.exports import Column, export_list
from sanxin.core.listing import list_page
from sanxin.core.views_helpers import capability_required, posted, save_form
from sanxin.core.workflow import timeline
from sanxin.points import selectors, services
from sanxin.points.forms import ReportForm, RewardForm, RuleForm
from sanxin.points.models import RedemptionStatus
from sanxin.points.workflow import WORKFLOW
from sanxin.workers.decorators import worker_required


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


# Report


def _report_params(request):
    today = timezone.localdate()
    form = ReportForm(request.GET or None, initial={"start": today.replace(day=1), "end": today, "level": "street"})
    if request.GET and form.is_valid():
        start, end, level = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["level"]
    else:
        start, end, level = today - timedelta(days=365), today, "street"
    return form, start, end, level


@capability_required("points.view")
def report(request):
    form, start, end, level = _report_params(request)
    data = selectors.report(request.user, start=start, end=end, level=level)
    return render(request, "points/report.html", {"form": form, "data": data, "start": start, "end": end})


@capability_required("points.view")
def report_export(request):
    _, start, end, level = _report_params(request)
    data = selectors.report(request.user, start=start, end=end, level=level)
    columns = [
        Column("地区代码", lambda r: r["place"], 14),
        Column("地区", lambda r: r["name"], 20),
        Column("获得积分", lambda r: r["earned"], 12),
        Column("兑换使用积分（扣除退回）", lambda r: r["spent"], 16),
        Column("撤销积分", lambda r: r["withdrawn"], 12),
        Column("记录条数", lambda r: r["entries"], 10),
    ]
    return export_list(
        request, title=f"积分报表{start:%Y%m%d}-{end:%Y%m%d}", columns=columns, rows=data["by_region"], action="points_report"
    )


# Rules


@capability_required("points.rules")
def rules(request):
    form = RuleForm(posted(request))
    if save_form(request, form, lambda fields: services.points_rule_save(actor=request.user, **fields)) is not None:
        messages.success(request, "已保存积分规则")
        return redirect("points:rules")
    context = {"form": form, "rules": selectors.rules(request.user), "above": selectors.rules_above(request.user)}
    return render(request, "points/rules.html", context)


@capability_required("points.rules")
def rule_edit(request, pk):
    rule = selectors.access_rule(pk, user=request.user)
    initial = {"kind": rule.kind, "region_code": rule.region_code, "points": rule.points, "active": rule.active, "note": rule.note}
    form = RuleForm(posted(request), initial=initial)
    if save_form(request, form, lambda fields: services.points_rule_save(actor=request.user, rule=rule, **fields)) is not None:
        messages.success(request, "已修改积分规则")
        return redirect("points:rules")
    return render(request, "points/rule_edit.html", {"form": form, "rule": rule})


@require_POST
@capability_required("points.rules")
def rule_delete(request, pk):
    rule = selectors.access_rule(pk, user=request.user)
    services.points_rule_delete(actor=request.user, rule=rule)
    messages.success(request, "已删除积分规则")
    return redirect("points:rules")


# Rewards


@capability_required("points.view")
def rewards(request):
    form = RewardForm(posted(request)) if request.user.can("points.manage") else None
    if form is not None and save_form(request, form, lambda fields: services.points_reward_save(actor=request.user, **fields)) is not None:
        messages.success(request, "已添加礼品服务")
        return redirect("points:rewards")
    page = list_page(
        request, selectors.rewards(request.user, q=request.GET.get("q", "")[:50]), sortable={"cost": "cost"}, default_sort="cost"
    )
    return render(request, "points/rewards.html", {"form": form, "listing": page, "today": timezone.localdate()})


@capability_required("points.view")
def reward_edit(request, pk):
    reward = selectors.access_reward(pk, user=request.user)
    initial = {
        "name": reward.name,
        "kind": reward.kind,
        "cost": reward.cost,
        "stock": reward.stock,
        "region_code": reward.region_id,
        "valid_until": reward.valid_until,
        "description": reward.description,
        "active": reward.active,
    }
    if request.method == "POST" and not request.user.can("points.manage"):
        raise Http404
    form = RewardForm(posted(request), initial=initial)
    if save_form(request, form, lambda fields: services.points_reward_save(actor=request.user, reward=reward, **fields)) is not None:
        messages.success(request, "已修改礼品服务")
        return redirect("points:rewards")
    return render(request, "points/reward_edit.html", {"form": form, "reward": reward})


# Redemptions


@capability_required("points.view")
def redemption_list(request):
    status = request.GET.get("status", "")
    page = list_page(request, selectors.redemptions(request.user, status=status), sortable={"time": "requested_at"}, default_sort="-time")
    return render(request, "points/redemptions.html", {"listing": page, "status": status, "statuses": RedemptionStatus.choices})


@capability_required("points.view")
def redemption_export(request):
    rows = selectors.redemptions(request.user, status=request.GET.get("status", "")).iterator(chunk_size=2000)
    columns = [
        Column("兑换码", lambda r: r.code, 12),
        Column("礼品服务", lambda r: r.reward.name, 24),
        Column("从业人员", lambda r: r.worker.name, 12),
        Column("使用积分", lambda r: r.cost, 10),
        Column("状态", lambda r: r.get_status_display(), 10),
        Column("兑换时间", lambda r: r.requested_at, 18),
        Column("领取时间", lambda r: r.fulfilled_at, 18),
        Column("取消时间", lambda r: r.cancelled_at, 18),
    ]
    return export_list(request, title="积分兑换记录", columns=columns, rows=rows, action="points_redemption")


@capability_required("points.manage")
def redemption_code(request):
    """Hand over by the code on the worker's phone: find it, then fulfil on its page."""
    code = (request.GET.get("code") or "").strip()
    found = selectors.redemption_by_code(code, user=request.user) if code else None
    if found is not None:
        return redirect("points:redemption", pk=found.pk)
    if code:
        messages.error(request, "未找到该兑换码，请核对（只能查找本单位管辖范围内的兑换）")
    return redirect("points:redemptions")


@capability_required("points.view")
def redemption_detail(request, pk):
    redemption = selectors.access_redemption(pk, user=request.user)
    context = {"r": redemption, "timeline": timeline(redemption), "actions": WORKFLOW.available(redemption, request.user)}
    return render(request, "points/redemption_detail.html", context)


@require_POST
@capability_required("points.manage")
def redemption_act(request, pk, action):
    redemption = selectors.access_redemption(pk, user=request.user)
    try:
        if action == "fulfil":
            services.points_redemption_fulfil(actor=request.user, redemption=redemption, code=request.POST.get("code", ""))
            done = "已确认领取"
        elif action == "revoke":
            services.points_redemption_revoke(actor=request.user, redemption=redemption, note=request.POST.get("note", "")[:200])
            done = "已取消兑换，积分已退回，库存已恢复"
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    return redirect("points:redemption", pk=redemption.pk)


@capability_required("points.view")
def worker_ledger(request, pk):
    worker, account, entries = selectors.worker_ledger(pk, user=request.user)
    return render(request, "points/worker_ledger.html", {"worker": worker, "account": account, "entries": entries})


# The worker's phone pages


@worker_required
def my_points(request):
    worker = request.worker
    context = {
        "balance": selectors.my_balance(worker),
        "account": selectors.my_account(worker),
        "entries": list(selectors.my_entries(worker)[:200]),
    }
    return render(request, "points/w_points.html", context)


@worker_required
def my_rewards(request):
    worker = request.worker
    balance = selectors.my_balance(worker)
    rows = [(reward, services.reward_refusal(reward, worker, balance=balance)) for reward in selectors.my_rewards(worker)]
    return render(request, "points/w_rewards.html", {"rows": rows, "balance": balance, "client_key": str(uuid.uuid4())})


@require_POST
@worker_required
def my_redeem(request, pk):
    reward = selectors.access_my_reward(pk, worker=request.worker)
    try:
        redemption = services.points_redeem(actor=request.user, reward=reward, client_key=request.POST.get("client_key"))
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("points:my_rewards")
    messages.success(request, f"已兑换“{reward.name}”，使用 {redemption.cost} 分。领取时请出示兑换码 {redemption.code}")
    return redirect("points:my_redemption", pk=redemption.pk)


@worker_required
def my_redemptions(request):
    return render(request, "points/w_redemptions.html", {"rows": list(selectors.my_redemptions(request.worker))})


@worker_required
def my_redemption(request, pk):
    redemption = selectors.access_my_redemption(pk, worker=request.worker)
    return render(request, "points/w_redemption.html", {"r": redemption, "events": timeline(redemption)})


@require_POST
@worker_required
def my_cancel(request, pk):
    redemption = selectors.access_my_redemption(pk, worker=request.worker)
    try:
        services.points_redemption_cancel(actor=request.user, redemption=redemption)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"已取消兑换，{redemption.cost} 分已退回")
    return redirect(reverse("points:my_redemption", args=[redemption.pk]))
