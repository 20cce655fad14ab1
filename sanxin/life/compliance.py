"""三会一课落实率, precomputed: what each active Party organization owed and held, per meeting type and period.

The rules (each has a test in tests/life/test_compliance.py):
- A meeting type is required only of the Party organization levels it applies to (MeetingType.levels: 支部党员大会,
  支部委员会 and 党小组会 of a branch, not of a 党委 or 党总支); a meeting of a type not required is not counted.
- What is required comes from the frequency in force where the Party organization sits: the most specific region's
  own setting wins, else the type's default (sanxin.life.selectors.effective_frequencies). One meeting a period.
- Only active Party organizations owe anything, and nothing for a period that ended before they were founded.
- A period is counted once it has begun; the period not yet over is due (本期待开) if not met, never overdue.
- Held: the meetings of the type whose start falls in the period (local time).

The rebuild runs in one transaction: pages read the old figures until it commits, and a meeting written meanwhile
waits for it (minutes for a province), so the daily job belongs to the night.

`ComplianceRecord` keeps one row per Party organization × meeting type × period (this year and last);
`ComplianceFact` rolls them up to every region above (so a province's page reads its cities' rows). The meeting
services call `refresh_party_orgs` on every write; the daily job rebuilds everything (the date moves: periods
begin and end) and then sends the reminders; `rebuild_compliance` does the same by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.core.notifications import Message, notify
from sanxin.core.roles import Role
from sanxin.core.scope import REGION_CODE_LENGTHS
from sanxin.life.models import (
    ComplianceFact,
    ComplianceRecord,
    ComplianceReminder,
    Frequency,
    Meeting,
    MeetingType,
    MeetingTypeFrequency,
    ReminderKind,
)
from sanxin.party.models import PartyOrganization, PartyOrgStatus

YEARS_KEPT = 2  # this year and last
BATCH = 2000  # Party organizations per pass of a rebuild
REMIND_DAYS_LEFT = 7  # a reminder when the period has this many days left or fewer, the meeting not held
OVERDUE_LOOKBACK_DAYS = 7  # an overdue reminder for periods ended this recently (a missed run is caught up)
REFRESH_AT_ONCE = 2000  # a frequency change refreshes at most this many Party organizations at once; the rest tomorrow
FACT_COUNTS = ("required", "met", "due", "overdue", "held")
# The region levels with facts: province, city, county, street. A street's communities and a community itself are
# read from the records (a street holds a few hundred Party organizations); facts there would be as many as records.
FACT_LENGTHS = (2, 4, 6, 9)
FACT_KEY = ("region_id", "org_level", "establishment_form", "meeting_type_id", "year", "quarter", "half")


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date  # the last day
    quarter: int  # 0 when the period spans more than a quarter
    half: int  # 0 when it is the whole year


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


@cache
def year_periods(frequency: str, year: int) -> tuple[Period, ...]:
    """The periods of a frequency in a year, in order."""
    if frequency == Frequency.MONTHLY:
        return tuple(
            Period(f"{year}-{m:02d}", date(year, m, 1), _month_end(year, m), (m - 1) // 3 + 1, (m - 1) // 6 + 1) for m in range(1, 13)
        )
    if frequency == Frequency.QUARTERLY:
        return tuple(Period(f"{year}-Q{q}", date(year, 3 * q - 2, 1), _month_end(year, 3 * q), q, (q - 1) // 2 + 1) for q in range(1, 5))
    if frequency == Frequency.HALF_YEARLY:
        return tuple(Period(f"{year}-H{h}", date(year, 6 * h - 5, 1), _month_end(year, 6 * h), 0, h) for h in (1, 2))
    return (Period(str(year), date(year, 1, 1), date(year, 12, 31), 0, 0),)


@cache
def period_of(frequency: str, day: date) -> Period:
    return next(p for p in year_periods(frequency, day.year) if p.start <= day <= p.end)


def period_label(key: str) -> str:
    """2026-09 → 2026年9月; 2026-Q3 → 2026年第3季度; 2026-H2 → 2026年下半年; 2026 → 2026年."""
    year, _, rest = key.partition("-")
    if not rest:
        return f"{year}年"
    if rest.startswith("Q"):
        return f"{year}年第{rest[1]}季度"
    if rest.startswith("H"):
        return f"{year}年{'上' if rest == 'H1' else '下'}半年"
    return f"{year}年{int(rest)}月"


def years_kept(today: date) -> list[int]:
    return list(range(today.year - YEARS_KEPT + 1, today.year + 1))


def _held_counts(org_ids: list[int], first_day: date) -> dict[int, dict[int, list[date]]]:
    """party organization id → meeting type id → the local days their meetings started on, since `first_day`."""
    since = timezone.make_aware(datetime.combine(first_day, time.min))
    rows = (
        Meeting.objects.filter(party_organization_id__in=org_ids, starts_at__gte=since)
        .annotate(day=TruncDate("starts_at"))
        .order_by()
        .values_list("party_organization_id", "meeting_type_id", "day")
        .annotate(n=Count("id"))
    )
    found: dict[int, dict[int, list[date]]] = defaultdict(lambda: defaultdict(list))
    for org_id, type_id, day, n in rows:
        found[org_id][type_id].extend([day] * n)
    return found


class Frequencies:
    """The frequency in force per region and meeting type, from one read of the regions' own settings: the most
    specific region's wins, else the type's default (as sanxin.life.selectors.effective_frequencies, for many
    regions at once)."""

    def __init__(self, types: list[MeetingType]):
        self.defaults = {t.pk: t.frequency for t in types}
        self.own: dict[str, dict[int, str]] = defaultdict(dict)
        for type_id, region, frequency in MeetingTypeFrequency.objects.values_list("meeting_type_id", "region_id", "frequency"):
            self.own[region][type_id] = frequency
        self.found: dict[str, dict[int, str]] = {}

    def of(self, region_code: str) -> dict[int, str]:
        if region_code not in self.found:
            effective = dict(self.defaults)
            for n in REGION_CODE_LENGTHS:  # least specific first, so the most specific is written last
                if n <= len(region_code):
                    effective |= self.own.get(region_code[:n], {})
            self.found[region_code] = effective
        return self.found[region_code]


def _records_for(
    orgs: list[PartyOrganization], *, today: date, types: list[MeetingType], frequencies: Frequencies
) -> list[ComplianceRecord]:
    years = years_kept(today)
    held = _held_counts([o.pk for o in orgs], date(years[0], 1, 1))
    records = []
    for org in orgs:
        effective = frequencies.of(org.region_id)
        for meeting_type in types:
            if not meeting_type.applies_to(org.level):
                continue  # e.g. 支部委员会 of a 党委: not required, a meeting held anyway not counted
            frequency = effective[meeting_type.pk]
            counts: dict[str, int] = defaultdict(int)
            for day in held.get(org.pk, {}).get(meeting_type.pk, []):
                counts[period_of(frequency, day).key] += 1
            for year in years:
                for period in year_periods(frequency, year):
                    if period.start > today:
                        break
                    if org.founded_on and period.end < org.founded_on:
                        continue  # not yet founded when the period ended
                    n = counts.get(period.key, 0)
                    records.append(
                        (
                            org.pk,
                            org.region_id,
                            org.level,
                            org.establishment_form,
                            meeting_type.pk,
                            frequency,
                            period.key,
                            year,
                            period.quarter,
                            period.half,
                            period.start,
                            period.end,
                            1,
                            n,
                            n < 1 and period.end < today,
                        )
                    )
    return records


RECORD_COLUMNS = [
    "party_organization_id",
    "region_id",
    "org_level",
    "establishment_form",
    "meeting_type_id",
    "frequency",
    "period",
    "year",
    "quarter",
    "half",
    "period_start",
    "period_end",
    "required",
    "held",
    "overdue",
]


def _insert_records(records: list[tuple]) -> None:
    """COPY on PostgreSQL (a province's rebuild writes millions of rows); bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        ComplianceRecord.objects.bulk_create(
            [ComplianceRecord(**dict(zip(RECORD_COLUMNS, r, strict=True))) for r in records], batch_size=5000
        )
        return
    table = connection.ops.quote_name(ComplianceRecord._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in RECORD_COLUMNS)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for r in records:
            copy.write_row(r)


def _fact_counts(records) -> dict[tuple, list[int]]:
    """The records' counts per fact key (at the records' own region)."""
    rows = (
        records.order_by()
        .values(*FACT_KEY)
        .annotate(
            c_required=Count("id"),
            c_met=Count("id", filter=Q(held__gte=F("required"))),
            c_due=Count("id", filter=Q(held__lt=F("required"), overdue=False)),
            c_overdue=Count("id", filter=Q(overdue=True)),
            c_held=Sum("held"),
        )
    )
    return {tuple(r[k] for k in FACT_KEY): [r[f"c_{n}"] or 0 for n in FACT_COUNTS] for r in rows}


def _chain(code: str) -> list[tuple[str, str]]:
    """(region code, parent code) for the region and every region above it."""
    lengths = [n for n in FACT_LENGTHS if n <= len(code)]
    return [(code[:n], code[: lengths[i - 1]] if i else "") for i, n in enumerate(lengths)]


def _apply_deltas(deltas: dict[tuple, list[int]]) -> None:
    """Add the changes to the facts of each key's region and of every region above it."""
    rows = []
    for key, delta in deltas.items():
        if not any(delta):
            continue
        region, *rest = key
        for code, parent in _chain(region):
            rows.append([code, parent, *rest, *delta])
    if not rows:
        return
    table = connection.ops.quote_name(ComplianceFact._meta.db_table)
    q = connection.ops.quote_name
    columns = ["region_id", "parent", "org_level", "establishment_form", "meeting_type_id", "year", "quarter", "half", *FACT_COUNTS]
    conflict = ", ".join(q(c) for c in FACT_KEY)
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in FACT_COUNTS)
    placeholders = ", ".join(["%s"] * len(columns))
    # Names come from the model, values only as parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic
def refresh_party_orgs(ids: Iterable[int], *, today: date | None = None) -> int:
    """Recompute the records of these Party organizations (a meeting of theirs was written) and move the facts of
    their regions by the difference. A dissolved one loses its records. Returns the records written."""
    today = today or timezone.localdate()
    ids = sorted(set(ids))
    if not ids:
        return 0
    old_records = ComplianceRecord.objects.filter(party_organization_id__in=ids)
    before = _fact_counts(old_records)
    old_records.delete()
    orgs = list(PartyOrganization.objects.filter(pk__in=ids, status=PartyOrgStatus.ACTIVE))
    types = list(MeetingType.objects.all())
    records = _records_for(orgs, today=today, types=types, frequencies=Frequencies(types))
    _insert_records(records)
    after = _fact_counts(ComplianceRecord.objects.filter(party_organization_id__in=ids))
    deltas = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, [0] * len(FACT_COUNTS)), after.get(key, [0] * len(FACT_COUNTS))
        deltas[key] = [b - a for a, b in zip(old, new, strict=True)]
    _apply_deltas(deltas)
    return len(records)


def meeting_deleted(sender, instance: Meeting, **kwargs) -> None:
    """post_delete of a meeting: its Party organization's records are recounted."""
    refresh_party_orgs([instance.party_organization_id])


def frequency_changed(region_code: str, *, today: date | None = None) -> int:
    """A region's frequency changed: its Party organizations owe differently. Refreshed at once when few; else
    the daily job's rebuild brings them up to date."""
    ids = list(
        PartyOrganization.objects.filter(region__code__under=region_code, status=PartyOrgStatus.ACTIVE).values_list("pk", flat=True)[
            : REFRESH_AT_ONCE + 1
        ]
    )
    if len(ids) > REFRESH_AT_ONCE:
        return 0
    return refresh_party_orgs(ids, today=today)


def rebuild_facts() -> int:
    """Every fact from the records: one INSERT … SELECT per region level."""
    ComplianceFact.objects.all().delete()
    q = connection.ops.quote_name
    records = q(ComplianceRecord._meta.db_table)
    facts = q(ComplianceFact._meta.db_table)
    region = q("region_id")
    same = ", ".join(q(c) for c in ("org_level", "establishment_form", "meeting_type_id", "year", "quarter", "half"))
    counts = (
        "COUNT(*), SUM(CASE WHEN {held} >= {required} THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN {held} < {required} AND NOT {overdue} THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END), SUM({held})"
    ).format(held=q("held"), required=q("required"), overdue=q("overdue"))
    columns = ", ".join(
        q(c) for c in ("region_id", "parent", "org_level", "establishment_form", "meeting_type_id", "year", "quarter", "half", *FACT_COUNTS)
    )
    written = 0
    with connection.cursor() as cursor:
        for i, length in enumerate(FACT_LENGTHS):
            code = f"SUBSTR({region}, 1, {length})"
            parent = f"SUBSTR({region}, 1, {FACT_LENGTHS[i - 1]})" if i else "''"
            sql = (
                f"INSERT INTO {facts} ({columns}) SELECT {code}, {parent}, {same}, {counts} FROM {records} "  # noqa: S608
                f"WHERE LENGTH({region}) >= {length} GROUP BY {code}, {parent + ', ' if i else ''}{same}"
            )
            cursor.execute(sql)
            written += cursor.rowcount
    return written


@transaction.atomic
def rebuild_all(*, today: date | None = None) -> dict:
    """Every record of every active Party organization, then every fact."""
    today = today or timezone.localdate()
    ComplianceRecord.objects.all().delete()
    types = list(MeetingType.objects.all())
    frequencies = Frequencies(types)
    records = 0
    ids = list(PartyOrganization.objects.filter(status=PartyOrgStatus.ACTIVE).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        orgs = list(
            PartyOrganization.objects.filter(pk__in=ids[start : start + BATCH]).only(
                "pk", "region_id", "level", "establishment_form", "founded_on"
            )
        )
        batch = _records_for(orgs, today=today, types=types, frequencies=frequencies)
        _insert_records(batch)
        records += len(batch)
    return {"records": records, "facts": rebuild_facts()}


def compliance_daily(*, today: date | None = None) -> dict:
    """The daily job: the date moved (a period began, another ended and what was due is now overdue), so rebuild."""
    return rebuild_all(today=today)


# Reminders to the secretary (the message centre): once per Party organization × meeting type × period and kind.


def _secretaries(org_ids: Iterable[int]) -> dict[int, list[User]]:
    users = User.objects.filter(is_active=True, roles__role=Role.PARTY_SECRETARY, member_record__party_organization_id__in=list(org_ids))
    found: dict[int, list[User]] = defaultdict(list)
    for user in users.annotate(org_id=F("member_record__party_organization_id")).distinct():
        found[user.org_id].append(user)
    return found


@transaction.atomic
def compliance_reminders(*, today: date | None = None) -> dict:
    """Tell each secretary of a meeting not held whose period has at most REMIND_DAYS_LEFT days left, and of one that
    became overdue (its period ended in the last OVERDUE_LOOKBACK_DAYS days); each at most once."""
    today = today or timezone.localdate()
    unmet = ComplianceRecord.objects.filter(held__lt=F("required")).select_related("party_organization", "meeting_type")
    candidates = [
        (
            ReminderKind.DUE_SOON,
            unmet.filter(overdue=False, period_end__gte=today, period_end__lte=today + timedelta(days=REMIND_DAYS_LEFT)),
        ),
        (ReminderKind.OVERDUE, unmet.filter(overdue=True, period_end__gte=today - timedelta(days=OVERDUE_LOOKBACK_DAYS))),
    ]
    sent = {ReminderKind.DUE_SOON: 0, ReminderKind.OVERDUE: 0}
    link = reverse("life:meeting_create")
    for kind, records in candidates:
        records = list(records)
        secretaries = _secretaries({r.party_organization_id for r in records})
        records = [r for r in records if secretaries.get(r.party_organization_id)]
        done = set(
            ComplianceReminder.objects.filter(kind=kind, party_organization_id__in={r.party_organization_id for r in records}).values_list(
                "party_organization_id", "meeting_type_id", "period"
            )
        )
        new = [r for r in records if (r.party_organization_id, r.meeting_type_id, r.period) not in done]
        ComplianceReminder.objects.bulk_create(
            [
                ComplianceReminder(
                    party_organization_id=r.party_organization_id, meeting_type_id=r.meeting_type_id, period=r.period, kind=kind
                )
                for r in new
            ],
            ignore_conflicts=True,
        )
        for r in new:
            org, label = r.party_organization.name, period_label(r.period)
            if kind == ReminderKind.DUE_SOON:
                left = (r.period_end - today).days
                title = f"{org}：{label}的“{r.meeting_type.name}”尚未召开，{'今天' if left == 0 else f'还有 {left} 天'}截止"
                body = f"请在 {r.period_end:%Y-%m-%d} 前召开并录入会议记录。"
            else:
                days = (today - r.period_end).days
                title = f"{org}：{label}的“{r.meeting_type.name}”已超期 {days} 天未召开"
                body = "请尽快召开并录入会议记录；超期情况会计入三会一课落实率。"
            notify(secretaries[r.party_organization_id], Message(title=title, body=body, link=link))
        sent[kind] = len(new)
    return {"due_soon": sent[ReminderKind.DUE_SOON], "overdue": sent[ReminderKind.OVERDUE]}
