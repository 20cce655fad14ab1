"""The worker's phone pages (/w/…): login by phone and one-time code, registration, consent, home and 我的.

The login keeps its progress in the session: the phone a code was sent to ("worker_login_phone"), then, for a
phone with no worker yet, the phone just proven ("worker_verified_phone", with its time) until registration."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sanxin.core.declare import worker_cards, worker_links
from sanxin.core.fields import blind_index_for
from sanxin.core.masking import mask_phone
from sanxin.core.middleware import client_ip
from sanxin.core.text import half_width
from sanxin.core.views_helpers import apply_validation_error, posted
from sanxin.regions.models import Region
from sanxin.workers import otp, selectors, services
from sanxin.workers.decorators import worker_required
from sanxin.workers.forms import ConsentForm, DeleteForm, ExportForm, LoginCodeForm, LoginPhoneForm, SelfForm
from sanxin.workers.models import Worker

PHONE_KEY = "worker_login_phone"
VERIFIED_KEY = "worker_verified_phone"
VERIFIED_AT_KEY = "worker_verified_at"
DEMO_CODE_KEY = "worker_demo_code"
REGISTRATION_WINDOW = timedelta(minutes=30)
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next(request, default: str = "/w/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and target.startswith("/"):
        return target
    return default


def _log_in(request, worker: Worker):
    """A new session (the key rotates), the login audited by the accounts' signal, the retention clock reset."""
    services.worker_touch(worker=worker)  # first: an account disabled as idle is opened again by the proven phone
    login(request, worker.user, backend=BACKEND)


@never_cache
def login_page(request):
    """Step 1: the phone; step 2: the code sent to it. A known phone logs in; a new one goes on to register."""
    if request.user.is_authenticated and selectors.worker_of(request.user) is not None:
        return redirect(_next(request))
    phone = request.session.get(PHONE_KEY, "")
    step = request.POST.get("step", "")
    phone_form, code_form = LoginPhoneForm(), LoginCodeForm()
    status = 200
    if request.method == "POST" and step == "send":
        phone_form = LoginPhoneForm(request.POST)
        if phone_form.is_valid():
            try:
                sent = otp.code_send(phone=phone_form.cleaned_data["phone"], ip=client_ip(request))
            except ValidationError as error:
                apply_validation_error(phone_form, error)
                status = 400
            else:
                request.session[PHONE_KEY] = phone = sent.phone
                request.session[DEMO_CODE_KEY] = sent.demo_code or ""
                return redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
        else:
            status = 400
    elif request.method == "POST" and step == "verify" and phone:
        code_form = LoginCodeForm(request.POST)
        if code_form.is_valid():
            try:
                proven = otp.code_verify(phone=phone, code=code_form.cleaned_data["code"])
            except ValidationError as error:
                apply_validation_error(code_form, error)
                status = 400
            else:
                return _after_code(request, proven)
        else:
            status = 400
    elif request.method == "POST" and step == "restart":
        for key in (PHONE_KEY, DEMO_CODE_KEY):
            request.session.pop(key, None)
        return redirect(request.path)
    context = {
        "phone_form": phone_form,
        "code_form": code_form,
        "phone": phone,
        "phone_masked": mask_phone(phone),
        "demo_code": request.session.get(DEMO_CODE_KEY, "") if phone else "",
        "next": _next(request, ""),
    }
    return render(request, "workers/w/login.html", context, status=status)


def _after_code(request, phone: str):
    for key in (PHONE_KEY, DEMO_CODE_KEY):
        request.session.pop(key, None)
    worker = Worker.objects.select_related("user").filter(phone_index=blind_index_for("phone", phone)).first()
    if worker is None:
        request.session[VERIFIED_KEY] = phone
        request.session[VERIFIED_AT_KEY] = timezone.now().isoformat()
        target = "/w/register/"
        return redirect(f"{target}?next={_next(request)}" if _next(request, "") else target)
    if worker.user_id is None:
        worker = services.worker_claim_account(worker=worker)
    elif set(worker.user.role_codes) - {"worker"}:
        # An account that is staff besides: it logs in with its password and second factor, never by SMS.
        messages.error(request, "该手机号码对应工作人员账号，请使用账号密码登录")
        return redirect("/w/login/")
    _log_in(request, worker)
    return redirect(_next(request))


def _verified_phone(request) -> str | None:
    phone, at = request.session.get(VERIFIED_KEY), request.session.get(VERIFIED_AT_KEY)
    if not phone or not at:
        return None
    if timezone.now() - datetime.fromisoformat(at) > REGISTRATION_WINDOW:
        return None
    return phone


@never_cache
def register(request):
    """A new phone, just proven: name, occupation, platforms, work region, site. Then the consent."""
    phone = _verified_phone(request)
    if phone is None:
        messages.info(request, "请先用手机号码和验证码登录")
        return redirect("/w/login/")
    form = SelfForm(posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                worker = services.worker_register(phone=phone, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                for key in (VERIFIED_KEY, VERIFIED_AT_KEY):
                    request.session.pop(key, None)
                _log_in(request, worker)
                messages.success(request, "注册成功，请阅读并同意告知同意书")
                return redirect(f"/w/consent/?next={_next(request)}")
        status = 400
    return render(
        request, "workers/w/register.html", {"form": form, "phone_masked": mask_phone(phone), "next": _next(request, "")}, status=status
    )


def regions(request):
    """The divisions below `parent` (or matching `q`) for the region picker of the registration and 我的: public
    names and codes only. For a worker, or someone who has just proven their phone."""
    if selectors.worker_of(request.user) is None and _verified_phone(request) is None:
        raise Http404
    parent = half_width(request.GET.get("parent", "")).strip()[:12]
    q = request.GET.get("q", "").strip()[:20]
    if q:
        found = Region.objects.filter(code__under=half_width(q)) if half_width(q).isdigit() else Region.objects.filter(name__contains=q)
        rows = found.order_by("level", "code")[:20]
    elif parent:
        rows = Region.objects.filter(parent_id=parent).order_by("code")[:500]
    else:
        rows = Region.objects.filter(level=1).order_by("code")
    items = [{"code": r.code, "name": r.name, "level": r.level, "full_name": r.full_name} for r in rows]
    return JsonResponse({"items": items, "count": len(items)})


@never_cache
def consent(request):
    """The current consent text; accepting records its version and time, and the separate sensitive consent."""
    if not request.user.is_authenticated:
        return redirect(f"/w/login/?next={request.get_full_path()}")
    worker = selectors.worker_of(request.user)
    if worker is None:
        raise Http404
    current = selectors.current_consent()
    form = ConsentForm(posted(request), initial={"version": current.version if current else ""})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.worker_consent_accept(
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    accept=form.cleaned_data["accept"],
                    accept_sensitive=form.cleaned_data["accept_sensitive"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "感谢您的同意，现在可以使用全部服务")
                return redirect(_next(request))
        status = 400
    context = {
        "form": form,
        "consent": current,
        "worker": worker,
        "outdated": selectors.consent_outdated(worker),
        "next": _next(request, ""),
    }
    return render(request, "workers/w/consent.html", context, status=status)


@worker_required
def home(request):
    context = {"worker": request.worker, "cards": worker_cards(request.worker), "links": worker_links()}
    return render(request, "workers/w/home.html", context)


def _me_page(request, *, phone: str = ""):
    return render(request, "workers/w/me.html", {"worker": request.worker, "phone": phone, "links": worker_links()})


@never_cache
@worker_required
def me(request):
    return _me_page(request)


@never_cache
@worker_required
def me_unmask(request):
    """My own full phone number: shown on a tap, and audited."""
    return _me_page(request, phone=services.worker_unmask_self(actor=request.user))


@never_cache
@worker_required
def me_area(request):
    """Pin where I work (the phone's position, taken only when the worker taps), or clear it: the 15-minute circle
    counts it when it looks for places without a station in reach."""
    worker = request.worker
    errors: dict = {}
    if request.method == "POST":
        clear = request.POST.get("clear") == "1"
        try:
            services.worker_pin_work_area(
                actor=request.user,
                longitude="" if clear else request.POST.get("longitude", ""),
                latitude="" if clear else request.POST.get("latitude", ""),
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        else:
            messages.success(request, "已清除标注的工作位置" if clear else "已标注您的工作位置，附近驿站将按它排序")
            return redirect("/w/me/")
    return render(request, "workers/w/me_area.html", {"worker": worker, "errors": errors}, status=400 if errors else 200)


@never_cache
@worker_required
def me_edit(request):
    worker = request.worker
    initial = {
        "name": worker.name,
        "occupation": worker.occupation,
        "platforms": list(worker.platforms.all()),
        "region": worker.region,
        "work_area": worker.work_area,
        "employer_name": worker.employer_name,
    }
    form = SelfForm(posted(request), initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.worker_update_self(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "已更正您的信息")
                return redirect("/w/me/")
        status = 400
    return render(request, "workers/w/me_edit.html", {"form": form}, status=status)


@never_cache
@worker_required
def me_export(request):
    form = ExportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        content, filename, kind = services.worker_export_self(actor=request.user, fmt=form.cleaned_data["fmt"])
        response = HttpResponse(content, content_type=kind)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    return render(request, "workers/w/me_export.html", {"form": form}, status=400 if request.method == "POST" else 200)


@never_cache
@worker_required
def me_delete(request):
    form = DeleteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.worker_delete_self(actor=request.user)
        logout(request)
        messages.success(request, "您的账号和全部信息已删除")
        return redirect("/w/login/")
    return render(request, "workers/w/me_delete.html", {"form": form}, status=400 if request.method == "POST" else 200)


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "您已退出登录")
    return redirect("/w/login/")
