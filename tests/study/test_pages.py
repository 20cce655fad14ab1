"""The staff pages and the member's phone pages of study materials."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanxin.core.models import AuditEvent
from sanxin.study.models import StudyCompletion, StudyMaterial, StudyShare
from sanxin.study.services import material_share, material_withdraw
from tests.conftest import PASSWORD
from tests.orgs_factories import xlsx_text
from tests.study.conftest import PDF, make_material


def test_staff_create_publish_share_and_see_the_rates(client_for, personas, members, branch, second_branch):
    client = client_for("county")
    response = client.post(
        "/study/materials/new/",
        {
            "title": "学习《中国共产党章程》",
            "kind": "document",
            "body": "第一章 党员",
            "link": "https://www.12371.cn/",
            "attachment": SimpleUploadedFile("党章.pdf", PDF),
        },
    )
    material = StudyMaterial.objects.get()
    assert response.status_code == 302 and material.status == "draft" and material.attachment_name == "党章.pdf"
    assert client.post(reverse("study:material_publish", args=[material.pk])).status_code == 302
    page = client.get(reverse("study:material_share", args=[material.pk])).content.decode()
    assert branch.name in page and "西湖区物流党支部" not in page  # only the organizations in scope are offered
    response = client.post(reverse("study:material_share", args=[material.pk]), {"party_orgs": [branch.pk, second_branch.pk], "due_on": ""})
    assert response.status_code == 302 and StudyShare.objects.count() == 2
    detail = client.get(reverse("study:material_detail", args=[material.pk])).content.decode()
    assert "0 / 3" in detail and "0.0%" in detail and "党章.pdf" in detail
    rates = client.get("/study/rates/?progress=incomplete").content.decode()
    assert branch.name in rates and "共 <strong>2</strong> 条" in rates
    attachment = client.get(reverse("study:material_attachment", args=[material.pk]))
    assert attachment["Content-Type"] == "application/pdf" and attachment["X-Content-Type-Options"] == "nosniff"
    assert b"".join(attachment.streaming_content) == PDF


def test_an_over_long_title_and_a_javascript_link_are_refused_on_the_page(client_for, personas):
    client = client_for("county")
    response = client.post("/study/materials/new/", {"title": "长" * 101, "kind": "article", "body": "x"})
    assert response.status_code == 200 and "100" in response.content.decode()
    response = client.post("/study/materials/new/", {"title": "标题", "kind": "article", "link": "javascript:alert(1)"})
    assert "http:// 或 https://" in response.content.decode()
    assert not StudyMaterial.objects.exists()


def test_a_nul_in_a_post_is_refused_and_nothing_stored(client_for, personas):
    response = client_for("county").post("/study/materials/new/", {"title": "标题\x00", "kind": "article", "body": "x"})
    assert response.status_code == 400
    assert not StudyMaterial.objects.exists()


def test_the_body_is_shown_as_text(client_for, personas, members, branch):
    county = personas["county"]
    from sanxin.study.services import material_publish

    material = material_publish(actor=county, material=make_material(county, body="<script>alert(1)</script><b>粗</b>"))
    material_share(actor=county, material=material, party_orgs=[branch])
    for client, url in (
        (client_for("county"), reverse("study:material_detail", args=[material.pk])),
        (client_for("member"), reverse("study:mine_detail", args=[material.pk])),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_another_county_cannot_open_edit_publish_or_share(client_for, personas, material, members, branch):
    client = client_for("other_county")
    for name in ("material_detail", "material_edit", "material_share", "material_attachment"):
        assert client.get(reverse(f"study:{name}", args=[material.pk])).status_code == 404
    for name in ("material_publish", "material_withdraw"):
        assert client.post(reverse(f"study:{name}", args=[material.pk]), {"note": "x"}).status_code == 404
    material.refresh_from_db()
    assert material.status == "published"


def test_the_export_asks_for_the_password_and_is_audited(client_for, personas, members, branch, material):
    material_share(actor=personas["county"], material=material, region="360102")
    client = client_for("county")
    assert "密码" in client.get("/study/rates/export/").content.decode()
    assert client.post("/study/rates/export/", {"password": "wrong"}).status_code == 400
    response = client.post("/study/rates/export/", {"password": PASSWORD})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = xlsx_text(response.content)
    assert branch.name in text and "0.0%" in text and "西湖区" not in text
    assert AuditEvent.objects.filter(action="study_rate.export", outcome="success").exists()


def test_the_secretary_sees_who_in_their_organization_has_not_done_it(client_for, personas, members, branch, second_branch, material):
    county = personas["county"]
    material_share(actor=county, material=material, region="360102")
    share = StudyShare.objects.get(party_organization=branch)
    other_share = StudyShare.objects.get(party_organization=second_branch)
    client = client_for("secretary")
    client_for("member").post(reverse("study:mine_done", args=[material.pk]))
    page = client.get(reverse("study:share_detail", args=[share.pk])).content.decode()
    assert "王芳" in page and "胡书记" in page and "林小勇" not in page and "陈晨" not in page  # done, and lost
    assert client.get(reverse("study:share_detail", args=[other_share.pk])).status_code == 404
    rates = client.get("/study/rates/").content.decode()
    assert branch.name in rates and second_branch.name not in rates


def test_the_member_studies_on_the_phone_and_marks_done_once(client_for, personas, members, branch, material):
    material_share(actor=personas["county"], material=material, party_orgs=[branch])
    client = client_for("member")
    page = client.get("/m/study/").content.decode()
    assert material.title in page and "待学习（1）" in page and 'href="/m/study/"' in page  # the tab
    detail = client.get(reverse("study:mine_detail", args=[material.pk])).content.decode()
    assert "我已学完" in detail
    done_url = reverse("study:mine_done", args=[material.pk])
    assert client.post(done_url).status_code == 302
    assert client.post(done_url).status_code == 302  # a double click
    assert StudyCompletion.objects.count() == 1
    assert AuditEvent.objects.filter(action="material_mark_done").count() == 1
    detail = client.get(reverse("study:mine_detail", args=[material.pk])).content.decode()
    assert "我已学完" not in detail and "学完" in detail
    home = client.get("/").content.decode()
    assert re.search(r"待学习.*>0<", home, re.S)
    assert "分钟" not in detail and "时长" not in page.replace("不计时长", "")  # no online-time counting


def test_a_withdrawn_material_shows_withdrawn_and_cannot_be_marked(client_for, personas, members, branch, material):
    material_share(actor=personas["county"], material=material, party_orgs=[branch])
    material_withdraw(actor=personas["county"], material=material, note="内容有误")
    client = client_for("member")
    detail = client.get(reverse("study:mine_detail", args=[material.pk])).content.decode()
    assert "已撤回" in detail and "我已学完" not in detail
    client.post(reverse("study:mine_done", args=[material.pk]))
    assert not StudyCompletion.objects.exists()
    assert "已撤回" in client.get(reverse("study:mine_detail", args=[material.pk])).content.decode()


def test_a_member_of_another_organization_gets_404(client_for, personas, members, second_branch, material):
    material_share(actor=personas["county"], material=material, party_orgs=[second_branch])
    client = client_for("member")
    assert material.title not in client.get("/m/study/").content.decode()
    for name in ("mine_detail", "mine_attachment"):
        assert client.get(reverse(f"study:{name}", args=[material.pk])).status_code == 404
    assert client.post(reverse("study:mine_done", args=[material.pk])).status_code == 404
    assert not StudyCompletion.objects.exists()


def test_the_member_home_shows_the_count_to_study(client_for, personas, members, branch, material):
    material_share(actor=personas["county"], material=material, party_orgs=[branch])
    home = client_for("member").get("/").content.decode()
    assert "待学习" in home and 'href="/m/study/"' in home and re.search(r">1</span> <span class=\"small fw-normal\">篇", home)


def test_staff_do_not_get_the_phone_pages(client_for, personas, material):
    assert client_for("county").get("/m/study/").status_code == 404
    assert client_for("member").get("/study/materials/").status_code == 404


def test_a_street_opens_the_countys_material_but_cannot_change_or_share_it(client_for, personas, material):
    """A county's material is for the streets and communities below it: they open it (it is shared to their Party
    organizations); only the county and above write it."""
    for persona in ("township", "community"):
        client = client_for(persona)
        assert client.get(reverse("study:material_detail", args=[material.pk])).status_code == 200
        assert material.title in client.get("/study/materials/").content.decode()
        assert client.get(f"/api/v1/study/materials/{material.pk}").status_code == 200
    street = client_for("township")
    assert street.get(reverse("study:material_edit", args=[material.pk])).status_code == 404
    assert street.get(reverse("study:material_share", args=[material.pk])).status_code == 404
    assert street.post(reverse("study:material_withdraw", args=[material.pk]), {"reason": "不要了"}).status_code == 404
    assert street.patch(f"/api/v1/study/materials/{material.pk}", {"title": "改"}, content_type="application/json").status_code == 404
    material.refresh_from_db()
    assert material.status == "published" and material.title == "学习党的二十届四中全会精神"
    assert client_for("other_county").get(reverse("study:material_detail", args=[material.pk])).status_code == 404
