"""Test data through the real services."""

from stdnum.cn import uscc

from sanxin.orgs.services import organization_create
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
