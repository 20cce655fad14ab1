"""Party members for tests, through the real services; valid resident ID numbers (GB 11643) made up per test."""

from datetime import date

from django.utils import timezone
from stdnum.cn import ric

from sanxin.members.mobility import member_mark_lost
from sanxin.members.services import member_create

_serial = [0]


def id_number(birth: date = date(1990, 1, 1), *, male: bool = True, serial: int | None = None, area: str = "360102") -> str:
    """A valid ID number for `birth`; its sequence number's parity gives the gender (odd: male)."""
    if serial is None:
        _serial[0] += 1
        serial = _serial[0]
    sequence = (serial * 2 + (1 if male else 0)) % 1000
    body = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder for the check digit


def member_fields(party_organization, **fields) -> dict:
    birth = fields.pop("birth_date", date(1990, 1, 1))
    male = fields.get("gender", "male") == "male"
    data = {
        "name": "测试党员",
        "gender": "male",
        "birth_date": birth,
        "id_number": id_number(birth, male=male),
        "phone": "13800138000",
        "joined_on": date(2015, 7, 1),
        "status": "full",
        "party_organization": party_organization,
        "relation_mode": "local",
        "occupation": "快递员",
    }
    return data | fields


def make_member(actor, party_organization, **fields):
    """A member; relation_mode="lost" registers them and marks them lost through the lost-contact service (the
    member services refuse 失联 set directly)."""
    lost = fields.get("relation_mode") == "lost"
    if lost:
        fields["relation_mode"] = "local"
    member = member_create(actor=actor, **member_fields(party_organization, **fields))
    if lost:
        member_mark_lost(actor=actor, member=member, on=timezone.localdate(), reason="多次联系不上")
        member.refresh_from_db()
    return member
