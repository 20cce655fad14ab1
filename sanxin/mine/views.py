"""The member's phone pages (/m/…): thin; reads from sanxin.mine.selectors, writes through the life and mine services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sanxin.core import offline
from sanxin.core.recheck import LOCKED_MESSAGE, Recheck, password_recheck
from sanxin.core.views_helpers import capability_required
from sanxin.life.leave import MAX_REASON, meeting_leave_request
from sanxin.life.services import meeting_sign_in
from sanxin.mine import selectors, services
from sanxin.mine.calendar import calendar_bytes
from sanxin.mine.export import member_fields
from sanxin.mine.models import CalendarFeed

ICS_TYPE = "text/calendar; charset=utf-8"


class LeaveForm(forms.Form):
    reason = forms.CharField(label="请假事由", max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 2}))


class ExportForm(forms.Form):
    fmt = forms.ChoiceField(label="导出格式", choices=list(services.EXPORT_FORMATS.items()), required=False, widget=forms.RadioSelect)
    password = forms.CharField(
        label="登录密码",
        error_messages={"required": "请输入登录密码"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@capability_required("mine.view")
def me(request):
    """我的: the member's own hub (organization, reports and transfers, data, calendar)."""
    context = {
        "member": selectors.my_member(request.user),
        "pending_reports": selectors.pending_identity_reports(request.user).count(),
        "open_transfers": selectors.my_transfers(request.user).filter(state__in=("initiated", "accepted")).count(),
    }
    return render(request, "mine/me.html", context)


@capability_required("mine.view")
def organization(request):
    return render(request, "mine/organization.html", {"organizations": selectors.my_organizations(request.user), "now": timezone.now()})


@capability_required("mine.view")
def meetings(request):
    now = timezone.now()
    upcoming = [(row, selectors.meeting_state(row, now=now)) for row in selectors.my_attendances(request.user, upcoming=True, now=now)]
    past = list(selectors.my_attendances(request.user, upcoming=False, now=now)[:100])
    context = {"upcoming": upcoming, "past": past, "count": len(upcoming) + len(past), "member": selectors.my_member(request.user)}
    return render(request, "mine/meetings.html", context)


def _meeting_page(request, row, *, leave_form=None, status=200):
    context = {"row": row, "m": row.meeting, "state": selectors.meeting_state(row), "leave_form": leave_form or LeaveForm()}
    return render(request, "mine/meeting_detail.html", context, status=status)


@capability_required("mine.view")
def meeting_detail(request, pk):
    return _meeting_page(request, selectors.access_my_meeting(pk, user=request.user))


@require_POST
@capability_required("mine.view")
def meeting_leave(request, pk):
    """The leave form may be sent from the phone's outbox (sanxin.core.offline): the same answer as JSON. Asking
    again with the same reason changes nothing, so a replayed request is written and audited once."""
    row = selectors.access_my_meeting(pk, user=request.user)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            meeting_leave_request(actor=request.user, meeting=row.meeting, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            return offline.done(request, message=f"已请假：{row.meeting.topic}", to=reverse("mine:meeting_detail", args=[row.meeting_id]))
    elif not form.data.get("reason", "").strip():
        form.errors["reason"] = form.error_class(["请填写请假事由"])
    page = lambda: _meeting_page(request, selectors.access_my_meeting(pk, user=request.user), leave_form=form, status=400)  # noqa: E731
    return offline.refused(request, form=form, page=page)


@require_POST
@capability_required("mine.view")
def meeting_sign_in_now(request, pk):
    """The sign-in button of an online or mixed meeting: 线上参会 through the life sign-in service (an offline
    meeting is signed in by scanning the QR code in the room)."""
    row = selectors.access_my_meeting(pk, user=request.user)
    if not request.user.can("life.sign_in"):
        raise Http404
    if not selectors.meeting_state(row).sign_in_by_button:
        messages.error(request, "线下会议请扫描会场屏幕上的二维码签到")
    else:
        try:
            signed = meeting_sign_in(actor=request.user, meeting=row.meeting, by_qr=False)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"签到成功：{row.meeting.topic}（{signed.get_state_display()}）")
    return redirect("mine:meeting_detail", pk=row.meeting_id)


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@capability_required("mine.view")
def meeting_ics(request, pk):
    row = selectors.access_my_meeting(pk, user=request.user)
    content = calendar_bytes([row.meeting], host=request.get_host().split(":")[0], name=row.meeting.topic)
    return _ics(content, f"meeting-{row.meeting_id}.ics")


@capability_required("mine.view")
def reports(request):
    """我的报到与转接: the 亮身份 reports made and the relation transfers of the member's record, with their timeline."""
    context = {
        "reports": list(selectors.my_identity_reports(request.user)[:50]),
        "transfers": selectors.my_transfers_with_timeline(request.user),
        "registrations": list(selectors.my_mobile_registrations(request.user)[:20]),
        "can_report": request.user.can("members.report_identity"),
    }
    return render(request, "mine/reports.html", context)


def _data_page(request, *, unmasked: bool):
    member = selectors.my_member(request.user)
    shown = {}
    if unmasked and member is not None:
        shown = services.mine_unmask(actor=request.user)
    fields = member_fields(member, unmasked=False) if member else []
    fields = [(key, label, shown.get(key, value)) for key, label, value in fields]
    return render(request, "mine/data.html", {"member": member, "fields": fields, "unmasked": bool(shown)})


@never_cache
@capability_required("mine.view")
def data(request):
    return _data_page(request, unmasked=False)


@never_cache
@capability_required("mine.view")
def data_unmask(request):
    """My own full ID number and phone: allowed, and audited."""
    return _data_page(request, unmasked=True)


@never_cache
@capability_required("mine.view")
def data_export(request):
    """A copy of the member's own data; the password again first (the file holds the full ID number), audited."""
    form = ExportForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            checked = password_recheck(request.user, form.cleaned_data["password"], action="mine_export", object_repr="本人数据")
            if checked is Recheck.LOCKED:
                messages.error(request, LOCKED_MESSAGE)
                return redirect(settings.LOGIN_URL)
            if checked is Recheck.PASSED:
                fmt = form.cleaned_data["fmt"] or "xlsx"
                content, _ = services.mine_export(actor=request.user, fmt=fmt)
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
                kind = "application/json" if fmt == "json" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                response = HttpResponse(content, content_type=kind)
                response["Content-Disposition"] = content_disposition_header(True, f"我的数据-{stamp}.{fmt}")
                return response
            form.add_error("password", "密码不正确，未导出（连续输错 5 次将锁定账号 30 分钟）")
        status = 400
    return render(request, "mine/export.html", {"form": form}, status=status)


@capability_required("mine.view")
def calendar_page(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "mine/calendar.html", {"feed": feed, "feed_url": "", "webcal": ""})


@require_POST
@capability_required("mine.view")
def calendar_reset(request):
    token = services.mine_calendar_reset(actor=request.user)
    url = request.build_absolute_uri(reverse("mine:calendar_feed", args=[token]))
    webcal = "webcal://" + url.split("://", 1)[1]
    messages.success(request, "已生成新的订阅地址，原地址即时失效")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    response = render(request, "mine/calendar.html", {"feed": feed, "feed_url": url, "webcal": webcal})
    response["Cache-Control"] = "no-store"
    return response


def calendar_feed(request, token):
    """The subscription the phone's calendar fetches, without a session: the token is the key. An unknown or
    reset token is a 404, as is any token of an account no longer allowed."""
    user = selectors.feed_user(token)
    if user is None:
        raise Http404
    meetings = selectors.my_calendar_meetings(user)
    response = HttpResponse(calendar_bytes(meetings, host=request.get_host().split(":")[0]), content_type=ICS_TYPE)
    response["Cache-Control"] = "private, max-age=900"
    return response
