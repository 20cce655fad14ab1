"""The scope test's world for 亮身份报到 and 流动党员: at every Party organization a report (every other one by the
member persona), a member out (流出, every other one to the next Party organization), a member in (流入) and a lost
member, with names that mark them in any output."""

from datetime import date

from sanxin.members.models import IdentityReport, LostContact, Member, MobileRegistration
from sanxin.party.models import PartyOrganization
from tests.members_factories import id_number, member_fields


def make_world_mobility(personas):
    party_orgs = list(PartyOrganization.objects.order_by("pk"))
    for n, party_org in enumerate(party_orgs):
        suffix = party_org.name.replace("标记党支部", "")
        IdentityReport.objects.create(
            name=f"标记报到{suffix}",
            id_number=id_number(date(1995, 5, 5)),
            phone="13912345678",
            joined_on=date(2018, 7, 1),
            member_status="full",
            home_organization="外省某党支部",
            occupation="外卖骑手",
            party_organization=party_org,
            reporter=personas["member"] if n % 2 else None,
        )
        out = Member.objects.create(**member_fields(party_org, name=f"标记外出{suffix}"))
        # Every other outflow goes to the next Party organization on the platform: its side sees the registration too.
        target = party_orgs[(n + 1) % len(party_orgs)] if n % 2 == 0 and len(party_orgs) > 1 else None
        MobileRegistration.objects.create(
            member=out, direction="outflow", destination="浙江省杭州市", destination_organization=target, starts_on=date(2026, 1, 1)
        )
        came = Member.objects.create(**member_fields(party_org, name=f"标记流入{suffix}", relation_mode="mobile"))
        MobileRegistration.objects.create(member=came, direction="inflow", home_organization="安徽省某党支部", starts_on=date(2026, 2, 1))
        lost = Member.objects.create(**member_fields(party_org, name=f"标记失联{suffix}", relation_mode="lost"))
        LostContact.objects.create(member=lost, lost_on=date(2026, 3, 1), reason="电话停机", previous_mode="local")
