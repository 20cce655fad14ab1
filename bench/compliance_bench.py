"""三会一课落实率 for a province on PostgreSQL: the page's figures read from the precomputed table beside the plain
GROUP BY over the meetings that computes the same figures on each request; both must give the same numbers.

    createdb -h 127.0.0.1 -U postgres sanxin_compliance_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sanxin_compliance_bench .venv/bin/python bench/compliance_bench.py --orgs 100000

Generates the Party organizations on the real communities of Jiangxi (a few dissolved), a year of meetings up to
today with gaps (each required meeting held with a probability), builds the table with `rebuild_all` (timed), then
times, as a province officer, the figures of the rate page (summary, the cities, by meeting type, by level, by form)
and the whole page over HTTP (Django's test client, in process), and the peer: one GROUP BY over the meetings per
request for the cities' figures (the met periods counted as distinct organization × type × period; the periods
required from the active organizations; due from the current periods).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SANXIN_DEBUG", "1")
os.environ.setdefault("SANXIN_MASTER_KEY", "ab" * 32)

# How likely a required meeting is held, per frequency: the gaps the rate counts.
HELD = {"monthly": 0.8, "quarterly": 0.85, "half_yearly": 0.9, "yearly": 0.7}


def setup_database() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from sanxin.regions.models import Region

    if not Region.objects.filter(code="36").exists():
        call_command("load_regions", "--province", "36", verbosity=0)


def reset() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE life_compliancerecord, life_compliancefact, life_compliancereminder, life_attendance, life_meetingphoto, "
            "life_meeting, party_partyorganization_covered_organizations, party_partyorganization CASCADE"
        )


def _copy(table: str, columns: list[str], rows) -> int:
    from django.db import connection

    count = 0
    with connection.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def generate(orgs: int, today: date, seed: int = 36) -> tuple[int, int]:
    from django.db import connection, transaction
    from django.utils import timezone

    from sanxin.life.compliance import year_periods
    from sanxin.life.models import MeetingType
    from sanxin.party.models import EstablishmentForm
    from sanxin.regions.models import Region

    rng = random.Random(seed)
    communities = list(Region.objects.filter(code__startswith="36", level=5).values_list("code", flat=True))
    streets = list(Region.objects.filter(code__startswith="36", level=4).values_list("code", flat=True))
    now = timezone.now().isoformat()
    levels = ["branch"] * 8 + ["general_branch", "committee"]
    forms = list(EstablishmentForm.values)
    org_rows = []
    for i in range(orgs):
        region = rng.choice(communities) if rng.random() < 0.8 else rng.choice(streets)
        status = "dissolved" if rng.random() < 0.02 else "active"
        org_rows.append(
            (i + 1, now, now, f"测试第{i}党支部", rng.choice(levels), rng.choice(forms), "[]", region, "", "2020-05-01", 3, status)
        )
    columns = ["id", "created_at", "updated_at", "name", "level", "establishment_form", "special_kinds", "region_id", "secretary"]
    columns += ["founded_on", "term_years", "status"]
    types = [(t.pk, t.frequency) for t in MeetingType.objects.all()]
    tz = timezone.get_current_timezone()

    def meetings():
        for org_id in range(1, orgs + 1):
            for type_id, frequency in types:
                for period in year_periods(frequency, today.year):
                    if period.start > today:
                        break
                    if rng.random() >= HELD[frequency]:
                        continue
                    last = min(period.end, today - timedelta(days=1)) if period.end >= today else period.end
                    if last < period.start:
                        continue
                    day = period.start + timedelta(days=rng.randrange((last - period.start).days + 1))
                    starts = datetime(day.year, day.month, day.day, 15, tzinfo=tz)
                    yield (now, now, org_id, type_id, "学习会议", starts.isoformat(), (starts + timedelta(hours=2)).isoformat(), "offline")

    meeting_columns = ["created_at", "updated_at", "party_organization_id", "meeting_type_id", "topic", "starts_at", "ends_at", "mode"]
    meeting_columns += ["place", "link", "host", "recorder", "lecturer", "agenda", "minutes", "code"]
    with transaction.atomic():
        _copy("party_partyorganization", columns, org_rows)
        written = _copy("life_meeting", meeting_columns, ((*row, "会议室", "", "", "", "", "", "", "000000") for row in meetings()))
        with connection.cursor() as cur:
            cur.execute("SELECT setval(pg_get_serial_sequence('party_partyorganization', 'id'), %s)", [orgs])
            cur.execute("ANALYZE party_partyorganization; ANALYZE life_meeting")
    return orgs, written


def province_officer():
    from django.utils import timezone

    from sanxin.accounts.models import Unit, User, UserRole

    unit, _ = Unit.objects.get_or_create(name="江西省委社会工作部（测试）", defaults={"kind": "social_work_dept", "region_id": "36"})
    user, created = User.objects.get_or_create(
        username="bench_province", defaults={"full_name": "测试省级", "unit": unit, "must_change_password": False}
    )
    if created:
        UserRole.objects.create(user=user, role="region_staff")
    User.objects.filter(pk=user.pk).update(must_change_password=False, password_changed_at=timezone.now())
    return User.objects.get(pk=user.pk)


def page_figures(user, region, selection) -> dict:
    from sanxin.life import compliance_figures as figures

    return {
        "summary": figures.compliance_summary(user=user, region=region, selection=selection),
        "by_region": figures.breakdown_by_region(user=user, region=region, selection=selection),
        "by_type": figures.breakdown_by(user=user, region=region, selection=selection, field="meeting_type"),
        "by_level": figures.breakdown_by(user=user, region=region, selection=selection, field="org_level"),
        "by_form": figures.breakdown_by(user=user, region=region, selection=selection, field="establishment_form"),
    }


PEER_SQL = """
WITH held AS (
    SELECT DISTINCT m.party_organization_id, m.meeting_type_id,
           CASE t.frequency
               WHEN 'monthly' THEN to_char(m.starts_at AT TIME ZONE %(tz)s, 'YYYY-MM')
               WHEN 'quarterly' THEN to_char(m.starts_at AT TIME ZONE %(tz)s, 'YYYY-"Q"Q')
               WHEN 'half_yearly' THEN to_char(m.starts_at AT TIME ZONE %(tz)s, 'YYYY') || '-H'
                    || CASE WHEN extract(month FROM m.starts_at AT TIME ZONE %(tz)s) <= 6 THEN '1' ELSE '2' END
               ELSE to_char(m.starts_at AT TIME ZONE %(tz)s, 'YYYY')
           END AS period
    FROM life_meeting m
    JOIN life_meetingtype t ON t.id = m.meeting_type_id
    WHERE m.starts_at >= %(start)s AND m.starts_at < %(end)s
),
met AS (
    SELECT substr(p.region_id, 1, 4) AS city, count(*) AS met,
           count(*) FILTER (WHERE h.period = ANY(%(current)s)) AS met_current
    FROM held h JOIN party_partyorganization p ON p.id = h.party_organization_id
    WHERE p.status = 'active' AND p.region_id LIKE %(prefix)s
    GROUP BY 1
),
orgs AS (
    SELECT substr(region_id, 1, 4) AS city, count(*) AS orgs
    FROM party_partyorganization WHERE status = 'active' AND region_id LIKE %(prefix)s GROUP BY 1
)
SELECT orgs.city, orgs.orgs, coalesce(met.met, 0), coalesce(met.met_current, 0)
FROM orgs LEFT JOIN met ON met.city = orgs.city ORDER BY orgs.city
"""


def peer(today: date) -> list[dict]:
    """The cities' figures by GROUP BY over the meetings, on each request (the default frequencies everywhere)."""
    from django.db import connection
    from django.utils import timezone

    from sanxin.life.compliance import year_periods
    from sanxin.life.models import MeetingType

    frequencies = [t.frequency for t in MeetingType.objects.all()]
    begun = [[p for p in year_periods(f, today.year) if p.start <= today] for f in frequencies]
    per_org = sum(len(periods) for periods in begun)  # periods required of one organization this year
    current = [periods[-1].key for periods in begun if periods and periods[-1].end >= today]
    params = {
        "tz": str(timezone.get_current_timezone()),
        "start": datetime(today.year, 1, 1, tzinfo=timezone.get_current_timezone()),
        "end": datetime(today.year + 1, 1, 1, tzinfo=timezone.get_current_timezone()),
        "current": current,
        "prefix": "36%",
    }
    with connection.cursor() as cur:
        cur.execute(PEER_SQL, params)
        rows = cur.fetchall()
    result = []
    for city, orgs, met, met_current in rows:
        required = orgs * per_org
        due = orgs * len(current) - met_current
        overdue = required - met - due
        closed = met + overdue
        result.append(
            {
                "code": city,
                "required": required,
                "met": met,
                "due": due,
                "overdue": overdue,
                "rate": round(met / closed, 4) if closed else None,
            }
        )
    return result


def incremental_check(count: int) -> None:
    """What a meeting write costs: refresh_party_orgs for one Party organization at a time (with a meeting added to
    each, so the facts move), then the facts compared with a rebuild of them."""
    from django.db import transaction
    from django.utils import timezone

    from sanxin.life.compliance import rebuild_facts, refresh_party_orgs
    from sanxin.life.models import ComplianceFact, Meeting, MeetingType
    from sanxin.party.models import PartyOrganization

    ids = list(PartyOrganization.objects.filter(status="active").order_by("?").values_list("pk", flat=True)[:count])
    committee = MeetingType.objects.get(code="branch_committee")
    starts = timezone.now() - timedelta(days=40)
    times = []
    with transaction.atomic():
        for pk in ids:
            Meeting.objects.create(
                party_organization_id=pk,
                meeting_type=committee,
                topic="补开",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                code="0",
            )
            started = time.perf_counter()
            refresh_party_orgs([pk])
            times.append((time.perf_counter() - started) * 1000)
        fields = (
            "region_id",
            "org_level",
            "establishment_form",
            "meeting_type_id",
            "year",
            "quarter",
            "half",
            "required",
            "met",
            "due",
            "overdue",
            "held",
        )
        incremental = {row for row in ComplianceFact.objects.values_list(*fields) if any(row[7:])}
        rebuild_facts()
        rebuilt = {row for row in ComplianceFact.objects.values_list(*fields) if any(row[7:])}
    times.sort()
    same = "yes" if incremental == rebuilt else "NO"
    print(
        f"refresh on a meeting write ({count} Party organizations, one at a time): p50 {statistics.median(times):.1f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms; facts by increments = facts rebuilt: {same}"
    )
    if incremental != rebuilt:
        sys.exit(1)


def timed(fn, runs: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--refresh", type=int, default=50, help="Party organizations refreshed one at a time (a meeting added to each)")
    parser.add_argument("--keep", action="store_true", help="reuse the data of the last run (no generation, no rebuild)")
    args = parser.parse_args()
    setup_database()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from sanxin.life.compliance import rebuild_all
    from sanxin.life.compliance_figures import Selection
    from sanxin.life.models import ComplianceFact, ComplianceRecord

    today = timezone.localdate()
    print(f"PostgreSQL {connection.pg_version // 10000}, today {today}")
    if not args.keep:
        reset()
        started = time.perf_counter()
        orgs, meetings = generate(args.orgs, today)
        print(f"generated {orgs:,} Party organizations, {meetings:,} meetings in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        built = rebuild_all(today=today)
        print(f"rebuild_all: {built['records']:,} records, {built['facts']:,} facts in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cur:
            cur.execute("ANALYZE life_compliancerecord; ANALYZE life_compliancefact")
    print(f"table: {ComplianceRecord.objects.count():,} records, {ComplianceFact.objects.count():,} facts")
    incremental_check(args.refresh)
    user = province_officer()
    from sanxin.regions.models import Region

    province = Region.objects.get(code="36")
    selection = Selection(today.year)
    ours_p50, ours_p95, figures = timed(lambda: page_figures(user, province, selection), args.runs)
    peer_p50, peer_p95, peer_rows = timed(lambda: peer(today), max(3, args.runs // 8))
    ours_rows = {r["code"]: r for r in figures["by_region"]}
    keys = ("required", "met", "due", "overdue", "rate")
    same = all({k: ours_rows[r["code"]][k] for k in keys} == {k: r[k] for k in keys} for r in peer_rows) and len(peer_rows) == len(
        ours_rows
    )
    settings.ALLOWED_HOSTS = ["*"]
    settings.SANXIN_OTP_REQUIRED = False  # the page, not the second factor (pages_bench.py logs in the whole way)
    client = Client()
    client.force_login(user)
    url = f"/life/compliance/?region=36&period={selection.key}"
    first = client.get(url)
    assert first.status_code == 200, (first.status_code, first.get("Location"), first.content[:300])
    page_p50, page_p95, _ = timed(lambda: client.get(url), args.runs)
    summary = figures["summary"]
    met, overdue = summary["met"], summary["overdue"]
    print(f"province {summary['required']:,} periods required, {met:,} met, {overdue:,} overdue, rate {summary['rate']:.2%}")
    print(f"ours, the page's figures from the table: p50 {ours_p50:.1f} ms, p95 {ours_p95:.1f} ms")
    print(f"ours, the whole page (HTML, in process):  p50 {page_p50:.1f} ms, p95 {page_p95:.1f} ms")
    print(f"peer, GROUP BY over the meetings (cities only): p50 {peer_p50:.1f} ms, p95 {peer_p95:.1f} ms")
    print(f"ratio peer/ours (p50): {peer_p50 / ours_p50:.0f}×; same figures for every city: {'yes' if same else 'NO'}")
    if not same:
        for r in peer_rows:
            print("peer", r, "\nours", {k: ours_rows.get(r["code"], {}).get(k) for k in keys})
        sys.exit(1)


if __name__ == "__main__":
    main()
