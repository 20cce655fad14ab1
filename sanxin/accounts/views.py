from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sanxin.accounts import selectors, services
from sanxin.accounts.forms import ApiTokenForm, LoginForm, PasswordChangeForm, UnitForm, UserCreateForm, UserEditForm, UserRolesForm
from sanxin.accounts.models import ApiToken, UnitKind
from sanxin.accounts.second_factor import second_factor_status
from sanxin.accounts.tokens import api_token_create, api_token_revoke
from sanxin.core.listing import list_page
from sanxin.core.masking import mask_phone
from sanxin.core.recheck import RecheckLockedOut
from sanxin.core.roles import Role
from sanxin.core.views_helpers import apply_validation_error, capability_required, posted


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request, credentials=None, *args, **kwargs):
    return render(request, "accounts/locked_out.html", status=429)


def _to_login(request, reason: Exception):
    """The password re-check reached the lockout and ended the session."""
    messages.error(request, str(reason))
    return redirect("accounts:login")


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "您已安全退出")
    return redirect("accounts:login")


@login_required
def password_change(request):
    form = PasswordChangeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user, old_password=form.cleaned_data["old_password"], new_password=form.cleaned_data["new_password"]
            )
        except RecheckLockedOut as locked:
            return _to_login(request, locked)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_validation_error(form, error)
            else:
                form.add_error("new_password", error.messages)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改")
            return redirect("dashboards:home")
    reason = ""
    if request.user.must_change_password:
        reason = "首次登录，请先修改初始密码。"
    elif request.method == "GET" and request.user.password_changed_at is None:
        reason = "请设置新密码。"
    return render(request, "accounts/password_change.html", {"form": form, "reason": reason})


@login_required
def my_unit(request):
    """One's own unit and its people (names and roles): what staff who do not manage accounts see of them."""
    context = {"unit": request.user.unit, "colleagues": selectors.unit_colleagues(user=request.user)}
    return render(request, "accounts/my_unit.html", context)


UNIT_SORTS = {"name": "name", "kind": "kind", "region": "region_id", "users": "user_count"}


@capability_required("units.view")
def unit_list(request):
    units = selectors.unit_list(
        user=request.user, q=request.GET.get("q", ""), kind=request.GET.get("kind", ""), region=request.GET.get("region", "")
    )
    listing = list_page(request, units, sortable=UNIT_SORTS, default_sort="region")
    return render(
        request,
        "accounts/unit_list.html",
        {"listing": listing, "kinds": UnitKind.choices, "can_manage": request.user.can("units.manage")},
    )


@capability_required("units.view")
def unit_detail(request, pk):
    unit = selectors.access_unit(pk, user=request.user)
    users = selectors.user_list(user=request.user).filter(unit=unit)
    return render(request, "accounts/unit_detail.html", {"unit": unit, "users": users, "can_manage": request.user.can("units.manage")})


def _unit_form_values(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "kind": data["kind"],
        "region": data["region"],
        "parent": data["parent"],
        "industries": list(data["industries"]),
        "zone": data["zone"],
    }


@capability_required("units.manage")
def unit_create(request):
    form = UnitForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, **_unit_form_values(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已新增单位“{unit.name}”")
            return redirect("accounts:unit_detail", pk=unit.pk)
    return render(request, "accounts/unit_form.html", {"form": form, "title": "新增单位"})


@capability_required("units.manage")
def unit_edit(request, pk):
    unit = selectors.access_unit(pk, user=request.user, for_write=True)
    initial = {
        "name": unit.name,
        "kind": unit.kind,
        "region": unit.region_id,
        "parent": unit.parent_id,
        "industries": unit.industries.all(),
        "zone": unit.zone_id,
    }
    form = UnitForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **_unit_form_values(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "单位已保存")
            return redirect("accounts:unit_detail", pk=unit.pk)
    return render(request, "accounts/unit_form.html", {"form": form, "title": f"编辑单位：{unit.name}", "unit": unit})


USER_SORTS = {"username": "username", "name": "full_name", "unit": "unit__name", "last_login": "last_login"}


@capability_required("users.view")
def user_list(request):
    users = selectors.user_list(
        user=request.user,
        q=request.GET.get("q", ""),
        unit=request.GET.get("unit", ""),
        role=request.GET.get("role", ""),
        region=request.GET.get("region", ""),
    )
    listing = list_page(request, users, sortable=USER_SORTS, default_sort="username")
    return render(
        request,
        "accounts/user_list.html",
        {"listing": listing, "roles": Role.choices, "can_manage": request.user.can("users.manage")},
    )


def _user_detail(request, target, *, phone_full: str = ""):
    context = {
        "target": target,
        "factor": second_factor_status(target),
        "phone_masked": mask_phone(target.phone),
        "phone_full": phone_full,
        "can_manage": request.user.can("users.manage"),
        "can_grant": request.user.can("roles.grant"),
        "can_unmask": request.user.can("user_phone_unmask"),
    }
    return render(request, "accounts/user_detail.html", context)


@capability_required("users.view")
def user_detail(request, pk):
    return _user_detail(request, selectors.access_user(pk, user=request.user))


@never_cache
@capability_required("user_phone_unmask")
def user_phone(request, pk):
    """The full phone number, for those allowed to see it; every view is audited (security.md items 12, 22)."""
    target = selectors.access_user(pk, user=request.user, capability="user_phone_unmask")
    return _user_detail(request, target, phone_full=services.user_phone_unmask(actor=request.user, user=target))


@capability_required("users.manage")
def user_create(request):
    form = UserCreateForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_validation_error(form, error)
            else:
                form.add_error("password", error.messages)
        else:
            messages.success(request, f"已新增账号“{created.username}”，请由安全管理员授予角色")
            return redirect("accounts:user_detail", pk=created.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": "新增用户"})


@capability_required("users.manage")
def user_edit(request, pk):
    target = selectors.access_user(pk, user=request.user, for_write=True)
    initial = {"full_name": target.full_name, "unit": target.unit_id, "is_active": target.is_active}
    form = UserEditForm(posted(request), user=request.user, initial=initial, phone_masked=mask_phone(target.phone))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "用户已保存")
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": f"编辑用户：{target.display_name}", "target": target})


@capability_required("roles.grant")
def user_roles(request, pk):
    target = selectors.access_user(pk, user=request.user, capability="roles.grant")
    form = UserRolesForm(posted(request), initial={"roles": sorted(target.role_codes)})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_roles(
                actor=request.user, user=target, roles=form.cleaned_data["roles"], actor_password=form.cleaned_data["actor_password"]
            )
        except RecheckLockedOut as locked:
            return _to_login(request, locked)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "角色已更新")
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_roles.html", {"form": form, "target": target})


@never_cache
@login_required
def token_list(request):
    """One's own API tokens; a new token's raw value is shown on this response only."""
    form = ApiTokenForm(posted(request))
    raw = ""
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = api_token_create(actor=request.user, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已创建令牌“{token.name}”，请立即复制保存，离开本页后无法再次查看")
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/token_list.html", {"form": form, "tokens": tokens, "raw_token": raw})


@require_POST
@login_required
def token_revoke(request, pk):
    # Only one's own tokens exist here: anyone else's is a 404.
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk, user=request.user)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"令牌“{token.name}”已撤销")
    return redirect("accounts:token_list")
