"""Test data through the real services."""

import io
from datetime import date

from openpyxl import load_workbook
from stdnum.cn import uscc

from sanxin.orgs.services import organization_create
from sanxin.party.services import party_org_create
from sanxin.regions.models import Industry, Region

_serial = [0]


def credit_code(seed: int | None = None) -> str:
    _serial[0] += 1
    body = f"91360102MA{(seed if seed is not None else _serial[0]):07d}"
    return body + uscc.calc_check_digit(body)


def make_org(actor=None, *, region: str | None = "360102002001", industry="6020", **fields):
    data = {
        "credit_code": credit_code(),
        "name": f"测试企业{_serial[0]}",
        "category": "private",
        "industry": Industry.objects.get(code=industry),
        "region": Region.objects.get(code=region) if region else None,
        "employees": 50,
        "formal_members": 0,
        "probationary_members": 0,
    }
    data.update({k: v for k, v in fields.items() if k != "region"})
    return organization_create(actor=actor, **data)


def party_org(actor, name="测试党支部", covered=(), **fields):
    data = {
        "level": "branch",
        "establishment_form": "standalone",
        "region": Region.objects.get(code="360102002"),
        "founded_on": date(2020, 5, 1),
        "term_years": 3,
    }
    data.update(fields)
    return party_org_create(actor=actor, name=name, covered=covered, **data)


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
