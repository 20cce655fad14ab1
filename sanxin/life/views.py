import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.core.listing import list_page
from sanxin.core.photos import photo_response
from sanxin.core.views_helpers import capability_required, posted, save_form
from sanxin.life import selectors, services
from sanxin.life.forms import FrequencyForm, MeetingForm, PhotoForm, SignInForm
from sanxin.life.models import SIGN_IN_OPENS_BEFORE, AttendanceState, Frequency, MeetingPhoto, MeetingType

SORTS = {"start": "starts_at", "org": "party_organization__name", "type": "meeting_type__order"}
FILTERS = ("q", "party_org", "meeting_type", "period")


def qr_svg(url: str) -> str:
    """The sign-in address as an inline SVG QR code, drawn as the TOTP enrolment draws its own (segno; no script)."""
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=6, border=2, dark="#111827", light="#ffffff", omitsize=True, svgclass="sx-meeting-qr", lineclass=None)


@capability_required("life.view")
def meeting_list(request):
    rows = selectors.meeting_list(user=request.user, **{k: request.GET.get(k, "") for k in FILTERS})
    listing = list_page(request, rows, sortable=SORTS, default_sort="-start")
    context = {
        "listing": listing,
        "party_orgs": selectors.filter_party_orgs(request.user),
        "meeting_types": MeetingType.objects.all(),
        "period_ok": not request.GET.get("period") or selectors.period_range(request.GET["period"]) is not None,
        "can_manage": request.user.can("life.manage"),
    }
    return render(request, "life/meeting_list.html", context)


@capability_required("life.manage")
def meeting_create(request):
    form = MeetingForm(posted(request), user=request.user)
    meeting = save_form(request, form, lambda fields: services.meeting_create(actor=request.user, **fields))
    if meeting is not None:
        messages.success(request, f"已新建会议“{meeting.topic}”，应到 {meeting.attendances.count()} 人")
        return redirect("life:meeting_detail", pk=meeting.pk)
    return render(request, "life/meeting_form.html", {"form": form, "title": "新建会议"})


@capability_required("life.manage")
def meeting_edit(request, pk):
    meeting = selectors.access_meeting(pk, user=request.user, for_write=True)
    initial = {f: getattr(meeting, f) for f in services.FIELDS}
    initial["starts_at"] = timezone.localtime(meeting.starts_at)
    initial["ends_at"] = timezone.localtime(meeting.ends_at)
    form = MeetingForm(posted(request), user=request.user, initial=initial)
    del form.fields["party_organization"]  # a meeting stays with its Party organization
    saved = save_form(request, form, lambda fields: services.meeting_update(actor=request.user, meeting=meeting, **fields))
    if saved is not None:
        messages.success(request, "已保存")
        return redirect("life:meeting_detail", pk=meeting.pk)
    return render(request, "life/meeting_form.html", {"form": form, "title": f"编辑：{meeting.topic}", "meeting": meeting})


def _can_manage(request, meeting) -> bool:
    return (
        request.user.can("life.manage")
        and selectors.meeting_party_org_choices(request.user).filter(pk=meeting.party_organization_id).exists()
    )


@capability_required("life.view")
def meeting_detail(request, pk):
    meeting = selectors.access_meeting(pk, user=request.user)
    can_manage = _can_manage(request, meeting)
    now = timezone.now()
    show_code = can_manage and now <= meeting.ends_at
    sign_in_url = request.build_absolute_uri(reverse("life:sign_in_token", args=[services.sign_in_token(meeting)])) if show_code else ""
    context = {
        "meeting": meeting,
        "attendances": selectors.meeting_attendances(meeting),
        "counts": selectors.attendance_counts(meeting),
        "states": AttendanceState.choices,
        "photos": meeting.photos.all(),
        "can_manage": can_manage,
        "show_code": show_code,
        "sign_in_url": sign_in_url,
        "qr": qr_svg(sign_in_url) if show_code else "",
        "opens_at": meeting.sign_in_opens_at(),
        "photo_form": PhotoForm(),
    }
    return render(request, "life/meeting_detail.html", context)


@require_POST
@capability_required("life.manage")
def meeting_attendance(request, pk):
    meeting = selectors.access_meeting(pk, user=request.user, for_write=True)
    changes = {}
    for row in meeting.attendances.all():
        state = request.POST.get(f"state-{row.member_id}")
        if state is not None:
            changes[row.member_id] = (state, request.POST.get(f"reason-{row.member_id}", ""))
    try:
        count = services.meeting_attendance_update(actor=request.user, meeting=meeting, changes=changes)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已保存出席情况（{count} 人有变化）")
    return redirect("life:meeting_detail", pk=meeting.pk)


@require_POST
@capability_required("life.manage")
def meeting_photo_upload(request, pk):
    meeting = selectors.access_meeting(pk, user=request.user, for_write=True)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的照片")
    else:
        try:
            services.meeting_photo_add(actor=request.user, meeting=meeting, upload=form.cleaned_data["photo"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "已上传照片")
    return redirect("life:meeting_detail", pk=meeting.pk)


@require_POST
@capability_required("life.manage")
def meeting_photo_delete(request, pk, photo_pk):
    """Remove a photo: only whoever may change the meeting (others 404), after the page's confirmation."""
    meeting = selectors.access_meeting(pk, user=request.user, for_write=True)
    photo = get_object_or_404(MeetingPhoto, pk=photo_pk, meeting=meeting)
    try:
        services.meeting_photo_delete(actor=request.user, photo=photo)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已删除照片")
    return redirect("life:meeting_detail", pk=meeting.pk)


@capability_required("life.view")
def meeting_photo(request, pk, photo_pk):
    """A meeting photo, only for those who see the meeting (security.md item 18)."""
    meeting = selectors.access_meeting(pk, user=request.user)
    photo = get_object_or_404(MeetingPhoto, pk=photo_pk, meeting=meeting)
    return photo_response(MeetingPhoto.UPLOAD_FOLDER, photo.stored_name)


@capability_required("life.view")
def meeting_type_list(request):
    context = {
        "rows": selectors.meeting_type_rows(request.user),
        "frequencies": Frequency.choices,
        "can_configure": request.user.can("life.configure") and selectors.own_region_code(request.user) is not None,
        "region_code": selectors.own_region_code(request.user),
    }
    return render(request, "life/meeting_type_list.html", context)


@require_POST
@capability_required("life.configure")
def meeting_type_frequency(request, pk):
    meeting_type = get_object_or_404(MeetingType, pk=pk)
    form = FrequencyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("频次不在可选范围内")
        frequency = services.meeting_type_set_frequency(
            actor=request.user, meeting_type=meeting_type, frequency=form.cleaned_data["frequency"]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"本地区“{meeting_type.name}”的频次为：{Frequency(frequency).label}")
    return redirect("life:meeting_type_list")


# The member's phone pages: sign in by the meeting code (线上参会) or by the QR code on the screen (到会).


def _sign_in_page(request, form, *, meeting=None, token=""):
    context = {
        "form": form,
        "meetings": selectors.my_meetings(request.user),
        "meeting": meeting,
        "token": token,
        "opens_minutes": int(SIGN_IN_OPENS_BEFORE.total_seconds() // 60),
        "now": timezone.now(),
    }
    return render(request, "life/sign_in.html", context)


@login_required
def sign_in(request):
    if not request.user.can("life.sign_in"):
        raise Http404
    form = SignInForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_for_code(form.cleaned_data["code"])
            row = services.meeting_sign_in(actor=request.user, meeting=meeting, by_qr=False)
        except ValidationError as error:
            form.add_error("code", error.messages)
        else:
            messages.success(request, f"签到成功：{meeting.topic}（{row.get_state_display()}）")
            return redirect("life:sign_in")
    return _sign_in_page(request, form)


@login_required
def sign_in_token(request, token):
    """Where the QR code on the screen leads: the meeting named, one button to sign in as present in the room."""
    if not request.user.can("life.sign_in"):
        raise Http404
    form = SignInForm()
    try:
        meeting = services.meeting_for_token(token)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("life:sign_in")
    if selectors.own_attendance(meeting, request.user) is None:
        # Not named to someone who is not expected there.
        messages.error(request, "您不在该会议的应到人员名单中，不能签到；如有疑问请联系党组织书记")
        return redirect("life:sign_in")
    if request.method == "POST":
        try:
            row = services.meeting_sign_in(actor=request.user, meeting=meeting, by_qr=True)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"签到成功：{meeting.topic}（{row.get_state_display()}）")
        return redirect("life:sign_in")
    return _sign_in_page(request, form, meeting=meeting, token=token)
