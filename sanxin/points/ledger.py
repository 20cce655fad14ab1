"""The ledger's one way to change a balance: `post()` locks the worker's account row, refuses a balance below zero
in Chinese, appends one entry (its `source` unique) and moves the balance, all in the caller's transaction.
Nothing here updates or deletes an entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from sanxin.points.models import REASON_MAX, PointsAccount, PointsEntry


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
