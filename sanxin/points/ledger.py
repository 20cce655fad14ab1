"""The ledger's one way to change a balance: `post()` locks the worker's account row, refuses a balance below zero
in Chinese, appends one entry (its `source` unique) and moves the balance, all in the caller's transaction.
Nothing here updates or deletes an entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from sanxin.points.models import REASON_MAX, EarningRule, PointsAccount, PointsEntry


def locked_account(worker) -> PointsAccount:
    """The worker's account, created on first need, locked until the transaction ends."""
    account = PointsAccount.objects.select_for_update().filter(worker=worker).first()
    if account is None:
        PointsAccount.objects.get_or_create(worker=worker)  # a racing creator loses on the unique key and gets it
        account = PointsAccount.objects.select_for_update().get(worker=worker)
    return account


def _insert_once(entry: PointsEntry) -> bool:
    """INSERT … ON CONFLICT (source) DO NOTHING: False when the source is posted already (a concurrent posting of
    the same source waits for the first to commit, then posts nothing). One round trip, no savepoint."""
    fields = [f for f in PointsEntry._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = [f.get_db_prep_save(f.pre_save(entry, add=True), connection) for f in fields]
    table = connection.ops.quote_name(PointsEntry._meta.db_table)
    with connection.cursor() as cursor:
        # Only the model's own quoted table and column names are formatted in; every value is a parameter.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) ON CONFLICT (source) DO NOTHING RETURNING id"  # noqa: S608
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    entry.pk = row[0]
    entry._state.adding = False
    return True


def post(
    account: PointsAccount,
    *,
    amount: int,
    kind: str,
    source: str,
    reason: str,
    region_code: str = "",
    actor=None,
    reversal_of: PointsEntry | None = None,
    shortfall: int = 0,
) -> PointsEntry | None:
    """Append one entry to a locked `account` (from `locked_account`) and move its balance; None (nothing changed)
    when an entry of this `source` exists already."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("积分记账必须在事务中进行")
    new_balance = account.balance + amount
    if new_balance < 0:
        raise ValidationError(f"积分不足：当前余额 {account.balance} 分，需要 {-amount} 分")
    entry = PointsEntry(
        account=account,
        amount=amount,
        balance_after=new_balance,
        kind=kind,
        source=source[:100],
        reason=(reason or "")[:REASON_MAX],
        region_code=(region_code or "")[:12],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reversal_of=reversal_of,
        shortfall=shortfall,
        created_at=timezone.now(),
    )
    if not _insert_once(entry):
        return None
    changes = {"balance": F("balance") + amount}
    if amount > 0 and reversal_of is None:
        changes["earned"] = F("earned") + amount
    elif amount < 0 and reversal_of is None:
        changes["spent"] = F("spent") - amount
    elif reversal_of is not None and reversal_of.amount < 0:  # a refund of a spend
        changes["spent"] = F("spent") - amount
    elif reversal_of is not None:  # a withdrawal of an earning
        changes["earned"] = F("earned") + amount
    PointsAccount.objects.filter(pk=account.pk).update(**changes)
    account.balance = new_balance
    return entry


def one_statement() -> bool:
    """PostgreSQL posts an earning in one statement (`post_earning`); other databases lock and post in Python."""
    return connection.vendor == "postgresql"


def post_earning(
    worker,
    *,
    kind: str,
    source: str,
    reason: str,
    region_code: str = "",
    actor=None,
    amount: int | None = None,
    rule_kind: str = "",
    prefixes: list[str] | None = None,
    quantity=None,
    points_max: int,
) -> PointsEntry | None:
    """PostgreSQL: one earning (a positive amount, no reversal) as ONE statement, in the caller's transaction or
    its own; None when there is nothing to post (no active rule, 0 points) or the source is posted already.

    The amount is `amount`, or the earning rule of the longest prefix in `prefixes` times `quantity` (rounded
    down, at most `points_max`; an inactive rule is 0), read in the same statement, so a rule edit counts at once.
    The statement: UPDATE the account (its row lock serialises postings to one account; the new balance is
    RETURNING'd) unless an entry of `source` is visible already, then INSERT the entry with that balance as
    balance_after, ON CONFLICT (source) DO NOTHING. The insert is the once-gate: a concurrent posting of the same
    source that the UPDATE could not see makes it insert nothing; the balance is then moved back in the same
    transaction before anyone can see it (the rare race costs one more statement). A worker without an account
    gets one (get_or_create: a racing creator loses on the unique key) and the statement runs again."""
    q = connection.ops.quote_name
    account_table, entry_table = q(PointsAccount._meta.db_table), q(PointsEntry._meta.db_table)
    rule_table = q(EarningRule._meta.db_table)
    if amount is not None:
        amount_sql = "SELECT %(amount)s::integer AS amount"
    else:
        amount_sql = (
            "SELECT CASE WHEN r.active THEN LEAST(FLOOR(r.points * %(quantity)s::numeric), %(max)s)::integer ELSE 0 END"  # noqa: S608
            f" AS amount FROM {rule_table} r WHERE r.kind = %(rule_kind)s AND r.region_code = ANY(%(prefixes)s)"
            " ORDER BY length(r.region_code) DESC LIMIT 1"
        )
    # Only the model's own quoted table names are formatted in; every value is a parameter.
    sql = f"""
        WITH rule AS ({amount_sql}),
        moved AS (
            UPDATE {account_table} a SET balance = a.balance + rule.amount, earned = a.earned + rule.amount
            FROM rule
            WHERE a.worker_id = %(worker)s AND rule.amount > 0
              AND NOT EXISTS (SELECT 1 FROM {entry_table} e WHERE e.source = %(source)s)
            RETURNING a.id, a.balance, rule.amount
        ),
        ins AS (
            INSERT INTO {entry_table}
                (account_id, amount, balance_after, kind, source, reason, region_code, actor_id, reversal_of_id,
                 shortfall, created_at)
            SELECT moved.id, moved.amount, moved.balance, %(kind)s, %(source)s, %(reason)s, %(region)s, %(actor)s,
                   NULL, 0, %(now)s
            FROM moved
            ON CONFLICT (source) DO NOTHING
            RETURNING id
        )
        SELECT (SELECT amount FROM rule), (SELECT id FROM moved), (SELECT balance FROM moved), (SELECT amount FROM moved),
               (SELECT id FROM ins), EXISTS (SELECT 1 FROM {account_table} WHERE worker_id = %(worker)s)
    """  # noqa: S608
    now = timezone.now()
    params = {
        "amount": amount,
        "quantity": str(quantity) if quantity is not None else None,
        "max": points_max,
        "rule_kind": rule_kind,
        "prefixes": list(prefixes or []),
        "worker": worker.pk,
        "source": source[:100],
        "kind": kind,
        "reason": (reason or "")[:REASON_MAX],
        "region": (region_code or "")[:12],
        "actor": actor.pk if getattr(actor, "is_authenticated", False) else None,
        "now": now,
    }
    # savepoint=False: inside the caller's transaction this adds no round trip; alone it is BEGIN … COMMIT.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for _attempt in range(2):
            cursor.execute(sql, params)
            rule_amount, account_id, balance, moved, entry_id, has_account = cursor.fetchone()
            if rule_amount is None or rule_amount <= 0:
                return None
            if account_id is None and not has_account:
                PointsAccount.objects.get_or_create(worker=worker)
                continue
            break
        if account_id is None:
            return None  # posted before
        if entry_id is None:  # a concurrent posting of the same source won: move the balance back
            PointsAccount.objects.filter(pk=account_id).update(balance=F("balance") - moved, earned=F("earned") - moved)
            return None
    entry = PointsEntry(
        pk=entry_id,
        account_id=account_id,
        amount=moved,
        balance_after=balance,
        kind=kind,
        source=params["source"],
        reason=params["reason"],
        region_code=params["region"],
        actor_id=params["actor"],
        shortfall=0,
        created_at=now,
    )
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry
