"""Worker and platform services: rules refused in Chinese, scope, audit masked, retention purge."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanxin.accounts.models import Unit, UnitKind, User
from sanxin.core.models import AuditEvent
from sanxin.workers.models import OneTimeCode, Platform, Worker
from sanxin.workers.otp import code_send
from sanxin.workers.services import (
    DUPLICATE_PHONE,
    platform_create,
    platform_update,
    worker_create,
    worker_register,
    worker_update,
    workers_retention_purge,
)

pytestmark = pytest.mark.django_db


def fields(**extra):
    return {"name": "周师傅", "phone": "13811112222", "occupation": "courier", "region": "360102002001", **extra}


def test_staff_create_folds_full_width_phone_and_audits_masked(personas, platforms):
    worker = worker_create(actor=personas["county"], **fields(phone="１３８ １１１１-２２２２", platforms=[platforms["美团外卖"]]))
    assert worker.phone == "13811112222" and worker.source == "staff"
    event = AuditEvent.objects.get(action="worker_create")
    text = json.dumps([event.object_repr, event.detail], ensure_ascii=False)
    assert "13811112222" not in text and "周师傅" not in text and "138****2222" in text


def test_phone_unique_with_a_chinese_message(personas):
    worker_create(actor=personas["county"], **fields())
    with pytest.raises(ValidationError) as refused:
        worker_create(actor=personas["county"], **fields(name="另一人", phone="13811112222"))
    assert refused.value.message_dict["phone"] == [DUPLICATE_PHONE]


@pytest.mark.parametrize(
    ("extra", "field", "text"),
    [
        ({"name": "长" * 51}, "name", "最多 50 个字"),
        ({"name": "  "}, "name", "请填写姓名"),
        ({"name": "坏\x1b名"}, "name", "控制字符"),
        ({"phone": "1381111222"}, "phone", "11 位"),
        ({"phone": "abc"}, "phone", "11 位"),
        ({"occupation": "pilot"}, "occupation", "职业应为"),
        ({"region": "360102"}, "region", "街道（乡镇）或社区（村）"),
        ({"region": ""}, "region", "请选择工作区域"),
        ({"work_area": "区" * 201}, "work_area", "最多 200 个字"),
    ],
)
def test_rules_refused(personas, extra, field, text):
    with pytest.raises(ValidationError) as refused:
        worker_create(actor=personas["county"], **fields(**extra))
    assert text in " ".join(refused.value.message_dict[field])


def test_staff_only_in_their_scope(personas):
    with pytest.raises(ValidationError) as refused:
        worker_create(actor=personas["other_county"], **fields())
    assert "不在您的管辖范围内" in str(refused.value)
    with pytest.raises(PermissionDenied):
        worker_create(actor=personas["member"], **fields())
    worker = worker_create(actor=personas["county"], **fields())
    with pytest.raises(ValidationError):
        worker_update(actor=personas["other_county"], worker=worker, name="改")
    with pytest.raises(ValidationError):
        worker_update(actor=personas["township"], worker=worker, region="360103001")


def test_register_needs_no_unit(db):
    worker = worker_register(phone="13711112222", name="自注册", occupation="ride_hailing", region="360102002")
    assert worker.user.unit is None and not worker.user.has_usable_password()
    assert User.objects.filter(pk=worker.user_id, full_name="自**").exists()


def test_retention_purge_erases_idle_workers_and_old_codes(personas, settings):
    settings.SANXIN_WORKER_RETENTION_DAYS = 730
    now = timezone.now()
    idle = worker_register(phone="13711112222", name="久未用", occupation="courier", region="360102002")
    Worker.objects.filter(pk=idle.pk).update(last_active_at=now - timedelta(days=731))
    fresh = worker_register(phone="13711113333", name="常用", occupation="courier", region="360102002")
    old_entry = worker_create(actor=personas["county"], **fields())
    Worker.objects.filter(pk=old_entry.pk).update(created_at=now - timedelta(days=800))
    code_send(phone="13711112222", ip=None, now=now - timedelta(days=2))
    code_send(phone="13711113333", ip=None, now=now - timedelta(hours=2))
    assert workers_retention_purge(now=now) == 2
    assert list(Worker.objects.filter(pk__in=[idle.pk, fresh.pk, old_entry.pk])) == [fresh]
    assert not User.objects.filter(pk=idle.user_id).exists()
    assert OneTimeCode.objects.count() == 1
    erase = AuditEvent.objects.filter(action="worker_erase")
    assert erase.count() == 2 and all("按保存期限删除" in e.detail["reason"] for e in erase)


def test_purge_is_a_daily_job():
    from sanxin.core.declare import daily_jobs

    assert daily_jobs()["workers_retention"] == "sanxin.workers.services.workers_retention_purge"


def test_platforms_by_those_who_keep_the_registry(personas):
    platform_unit = Unit.objects.get(kind=UnitKind.PLATFORM)
    platform = platform_create(actor=personas["county"], name="美团外卖", kind="food_delivery", unit=platform_unit)
    with pytest.raises(ValidationError) as refused:
        platform_create(actor=personas["sysadmin"], name="美团外卖", kind="food_delivery")
    assert "已存在" in str(refused.value)
    with pytest.raises(PermissionDenied):
        platform_create(actor=personas["township"], name="滴滴出行", kind="ride_hailing")
    with pytest.raises(ValidationError) as refused:
        platform_update(actor=personas["sysadmin"], platform=platform, unit=personas["county"].unit)
    assert "平台企业党组织" in str(refused.value)
    platform_update(actor=personas["sysadmin"], platform=platform, name="美团")
    assert Platform.objects.get(pk=platform.pk).name == "美团"
