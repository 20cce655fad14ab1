"""The rules of study materials, each broken and refused in Chinese with nothing stored."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanxin.core.guards import Refused
from sanxin.core.models import AuditEvent
from sanxin.study import selectors
from sanxin.study.models import StudyCompletion, StudyMaterial, StudyShare
from sanxin.study.services import (
    MAX_ATTACHMENT_BYTES,
    attachment_path,
    material_mark_done,
    material_publish,
    material_share,
    material_update,
    material_withdraw,
)
from tests.study.conftest import PDF, make_material


def messages(error: ValidationError) -> str:
    return "；".join(error.messages)


def test_a_draft_is_published_at_the_units_region_and_audited(personas):
    material = make_material(personas["county"])
    assert material.status == "draft" and material.region_id == "360102" and material.unit == personas["county"].unit
    published = material_publish(actor=personas["county"], material=material)
    assert published.status == "published" and published.published_at is not None
    assert set(AuditEvent.objects.filter(object_id=str(material.pk)).values_list("action", flat=True)) >= {
        "material_create",
        "material_publish",
    }


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"title": ""}, "title", "标题不能为空"),
        ({"title": "长" * 101}, "title", "标题最多 100 个字"),
        ({"link": "javascript:alert(1)"}, "link", "http:// 或 https://"),
        ({"link": "JAVASCRIPT:alert(1)"}, "link", "http:// 或 https://"),
        ({"link": "ftp://example.com/a.pdf"}, "link", "http:// 或 https://"),
        ({"link": "data:text/html,<script>alert(1)</script>"}, "link", "http:// 或 https://"),
        ({"kind": "video", "link": ""}, "link", "视频链接类的学习资料须填写链接"),
        ({"kind": "podcast"}, "kind", "类型应为"),
        ({"title": "学习\x00资料"}, "title", "控制字符"),
        ({"body": "正文" * 10001}, "body", "正文最多 20000 个字"),
    ],
)
def test_a_broken_material_is_refused(personas, fields, field, reason):
    with pytest.raises(ValidationError) as error:
        make_material(personas["county"], **fields)
    assert reason in messages(error.value)
    assert field in error.value.error_dict
    assert not StudyMaterial.objects.exists()


def test_members_and_secretaries_cannot_publish(personas):
    for name in ("member", "secretary"):
        with pytest.raises(Refused):
            make_material(personas[name])
    assert not StudyMaterial.objects.exists()


def test_an_empty_material_cannot_be_published(personas):
    material = make_material(personas["county"], body="")
    with pytest.raises(ValidationError) as error:
        material_publish(actor=personas["county"], material=material)
    assert "正文、链接或附件之一" in messages(error.value)
    material.refresh_from_db()
    assert material.status == "draft"


def test_another_countys_material_is_not_theirs_to_publish_or_change(personas):
    material = make_material(personas["county"])
    with pytest.raises(ValidationError) as error:
        material_publish(actor=personas["other_county"], material=material)
    assert "不是本单位范围内发布的" in messages(error.value)
    with pytest.raises(ValidationError):
        material_update(actor=personas["other_county"], material=material, title="改了")
    material.refresh_from_db()
    assert material.status == "draft" and material.title != "改了"


def test_the_attachment_must_be_a_pdf_by_its_content(personas):
    with pytest.raises(ValidationError) as error:
        make_material(personas["county"], attachment=SimpleUploadedFile("学习.pdf", b"<html><script>alert(1)</script></html>"))
    assert "只支持 PDF" in messages(error.value)
    with pytest.raises(ValidationError) as error:
        make_material(personas["county"], attachment=SimpleUploadedFile("学习.pdf", b"%PDF-" + b"0" * (MAX_ATTACHMENT_BYTES + 1)))
    assert "超过 20 MB" in messages(error.value)
    assert not StudyMaterial.objects.exists()
    material = make_material(personas["county"], attachment=SimpleUploadedFile("../../学习 材料.pdf", PDF))
    assert material.attachment_name == "学习 材料.pdf" and material.attachment_size == len(PDF)
    assert len(material.attachment_stored) == 36 and attachment_path(material.attachment_stored).read_bytes() == PDF


def test_sharing_reaches_the_active_party_organizations_of_a_subtree_once(personas, members, branch, second_branch, other_branch, material):
    county = personas["county"]
    assert material_share(actor=county, material=material, region="360102") == (2, 0)
    # Twice: nothing doubled, nothing new.
    assert material_share(actor=county, material=material, region="360102") == (0, 2)
    assert material_share(actor=county, material=material, party_orgs=[branch]) == (0, 1)
    assert StudyShare.objects.filter(material=material).count() == 2
    assert AuditEvent.objects.filter(action="material_share").count() == 1


def test_sharing_by_type(personas, members, branch, second_branch, material):
    assert material_share(actor=personas["county"], material=material, region="360102", level="general_branch") == (1, 0)
    assert list(StudyShare.objects.values_list("party_organization", flat=True)) == [second_branch.pk]


def test_only_party_organizations_in_scope_can_be_shared_to(personas, members, branch, other_branch, material):
    county = personas["county"]
    with pytest.raises(ValidationError) as error:
        material_share(actor=county, material=material, party_orgs=[branch, other_branch])
    assert "不在您的管辖范围内" in messages(error.value) and other_branch.name not in messages(error.value)
    with pytest.raises(ValidationError) as error:
        material_share(actor=county, material=material, region="360103")
    assert "所选地区不在您的管辖范围内" in messages(error.value)
    with pytest.raises(ValidationError) as error:
        material_share(actor=county, material=material, region="")
    assert "请选择地区" in messages(error.value)
    assert not StudyShare.objects.exists()


def test_a_draft_or_withdrawn_material_is_not_shared_and_a_past_due_date_is_refused(personas, members, branch):
    county = personas["county"]
    draft = make_material(county)
    with pytest.raises(ValidationError) as error:
        material_share(actor=county, material=draft, party_orgs=[branch])
    assert "发布后才能分享" in messages(error.value)
    published = material_publish(actor=county, material=make_material(county, title="另一篇"))
    with pytest.raises(ValidationError) as error:
        material_share(actor=county, material=published, party_orgs=[branch], due_on=timezone.localdate() - timedelta(days=1))
    assert "不能早于今天" in messages(error.value)
    material_withdraw(actor=county, material=published, note="内容更新")
    with pytest.raises(ValidationError):
        material_share(actor=county, material=published, party_orgs=[branch])
    assert not StudyShare.objects.exists()


def test_a_withdrawal_needs_a_reason(personas, material):
    with pytest.raises(ValidationError) as error:
        material_withdraw(actor=personas["county"], material=material, note="  ")
    assert "撤回原因" in messages(error.value)


def test_a_member_marks_done_once(personas, members, branch, material):
    material_share(actor=personas["county"], material=material, party_orgs=[branch])
    done = material_mark_done(actor=personas["member"], material=material)
    assert done.member == members["member"] and done.party_organization == branch
    with pytest.raises(ValidationError) as error:
        material_mark_done(actor=personas["member"], material=material)
    assert "无需重复标记" in messages(error.value)
    assert StudyCompletion.objects.count() == 1
    assert AuditEvent.objects.filter(action="material_mark_done").count() == 1


def test_a_withdrawn_material_cannot_be_marked(personas, members, branch, material):
    material_share(actor=personas["county"], material=material, party_orgs=[branch])
    material_withdraw(actor=personas["county"], material=material, note="有误")
    with pytest.raises(ValidationError) as error:
        material_mark_done(actor=personas["member"], material=material)
    assert "已撤回，不能标记学完" in messages(error.value)
    assert not StudyCompletion.objects.exists()


def test_a_member_of_another_organization_cannot_see_or_mark(personas, members, second_branch, material):
    material_share(actor=personas["county"], material=material, party_orgs=[second_branch])
    assert list(selectors.my_materials(personas["member"])) == []
    with pytest.raises(ValidationError) as error:
        material_mark_done(actor=personas["member"], material=material)
    assert "未分享给您所在的党组织" in messages(error.value)
    assert not StudyCompletion.objects.exists()


def test_staff_and_accounts_without_a_member_record_cannot_mark(personas, branch, material):
    material_share(actor=personas["county"], material=material, party_orgs=[branch])
    with pytest.raises(Refused):
        material_mark_done(actor=personas["county"], material=material)
    with pytest.raises(ValidationError) as error:
        material_mark_done(actor=personas["member"], material=material)  # no member record yet
    assert "未关联党员信息" in messages(error.value)


def test_rates_count_current_members_mobile_included_lost_excluded(personas, members, branch, second_branch, material):
    county = personas["county"]
    material_share(actor=county, material=material, region="360102")
    material_mark_done(actor=personas["member"], material=material)  # the mobile member attending there
    rows = {s.party_organization_id: s for s in selectors.share_list(user=county, material=material.pk)}
    assert (rows[branch.pk].done, rows[branch.pk].expected) == (1, 3)  # secretary, mobile, local; the lost one not
    assert rows[branch.pk].rate == pytest.approx(1 / 3)
    assert (rows[second_branch.pk].done, rows[second_branch.pk].expected) == (0, 1)
    totals = selectors.totals(selectors.share_list(user=county))
    assert (totals["done"], totals["expected"]) == (1, 4)
    incomplete = selectors.share_list(user=county, progress="incomplete")
    assert incomplete.count() == 2
    share = StudyShare.objects.get(party_organization=branch)
    assert [m.name for m in selectors.not_done_members(share)] == sorted(["胡书记", "王芳"])
    # Another county sees no row of it.
    assert not selectors.share_list(user=personas["other_county"]).exists()


def test_the_to_study_count(personas, members, branch, material):
    county = personas["county"]
    material_share(actor=county, material=material, party_orgs=[branch])
    other = material_publish(actor=county, material=make_material(county, title="第二篇"))
    material_share(actor=county, material=other, party_orgs=[branch])
    assert selectors.to_study_count(personas["member"]) == 2
    material_mark_done(actor=personas["member"], material=material)
    material_withdraw(actor=county, material=other, note="过期")
    assert selectors.to_study_count(personas["member"]) == 0
    assert selectors.to_study_count(personas["county"]) == 0


def test_an_account_without_a_member_record_has_nothing_to_study(personas):
    assert selectors.to_study_count(personas["member"]) == 0
    assert list(selectors.my_materials(personas["member"])) == []


def test_a_withdrawn_material_is_not_changed_and_a_published_one_keeps_some_content(personas, material):
    county = personas["county"]
    with pytest.raises(ValidationError) as error:
        material_update(actor=county, material=material, body="", link="")
    assert "须保留正文、链接或附件之一" in messages(error.value)
    material_withdraw(actor=county, material=material, note="有误")
    with pytest.raises(ValidationError) as error:
        material_update(actor=county, material=material, title="改了")
    assert "已撤回，不能修改" in messages(error.value)
    material.refresh_from_db()
    assert material.title != "改了" and material.body


def test_replacing_and_removing_the_attachment(personas, django_capture_on_commit_callbacks):
    county = personas["county"]
    material = make_material(county, attachment=SimpleUploadedFile("一.pdf", PDF))
    first = attachment_path(material.attachment_stored)
    with django_capture_on_commit_callbacks(execute=True):
        material = material_update(actor=county, material=material, attachment=SimpleUploadedFile("二.pdf", PDF))
    assert material.attachment_name == "二.pdf" and not first.exists()
    second = attachment_path(material.attachment_stored)
    with django_capture_on_commit_callbacks(execute=True):
        material = material_update(actor=county, material=material, remove_attachment=True)
    assert not material.has_attachment and not second.exists()
    changes = AuditEvent.objects.filter(action="material_update").values_list("detail", flat=True)
    assert len(changes) == 2
