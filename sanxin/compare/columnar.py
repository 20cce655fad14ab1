"""The matcher's fast path: rows decided column-wise by dict lookups, results kept as arrays.

Most rows of a large outside registry are settled by a lookup: a credit code the platform has, or (for a row without
a code) a normalized name that exactly one organization of its county carries. `decide` settles those itself and
hands every other row to the matcher's own `match_row`, so the rules live in one place; what it returns is compact
(numpy arrays and a table of the distinct reasons), which is what forked workers send back to the parent.
`Results` keeps the arrays and makes a `Result` only when a caller reads that row.

This module imports nothing of the matcher (the matcher imports it): the matcher and its `Result` class are passed
in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sanxin.compare.models import Outcome
from sanxin.core.validators import normalize_credit_code

BY_CODE = "统一社会信用代码一致"  # the reasons match_row gives for the same two decisions
BY_NAME = "名称规范化后一致"
EVIDENCE_BY_CODE = {"code": "equal"}
EVIDENCE_BY_NAME = {"code": "absent", "name": "equal"}

OUTCOMES = list(Outcome)
OUTCOME_CODE = {outcome: code for code, outcome in enumerate(OUTCOMES)}
NO_ORGANIZATION = np.iinfo(np.int64).min  # organization_id None
MATCHED = OUTCOME_CODE[Outcome.MATCHED]
DEREGISTERED_LABELS = frozenset({"注销", "吊销", "迁出"})


@dataclass
class Decisions:
    """The decisions on some rows (`positions` into the input) as arrays; reasons and evidence by table index."""

    positions: np.ndarray  # int64
    outcome: np.ndarray  # int8, index into OUTCOMES
    organization: np.ndarray  # int64, NO_ORGANIZATION for None
    score: np.ndarray  # float64, NaN for None
    reason: np.ndarray  # int32, index into reasons
    evidence: np.ndarray  # int32, index into evidences
    code_differs: np.ndarray  # bool
    reasons: list[str]
    evidences: list[dict]


class _Table:
    """Distinct values numbered in order of appearance."""

    def __init__(self, key=None):
        self.index: dict = {}
        self.values: list = []
        self.key = key

    def __call__(self, value) -> int:
        key = value if self.key is None else self.key(value)
        number = self.index.get(key)
        if number is None:
            number = self.index[key] = len(self.values)
            self.values.append(value)
        return number


def _evidence_key(evidence: dict) -> frozenset:
    return frozenset(evidence.items())  # its values are text and numbers; made once per row, so kept cheap


def decide(matcher, rows: list[dict], positions: Sequence[int], *, fast: bool = True) -> Decisions:
    """The decisions on rows[p] for p in positions, exactly as `matcher.match_row` gives them (`fast=False`: every
    row through `match_row`, the reference)."""
    index = matcher.index
    known, by_code, exact, ready = index.known, index.by_code, index.exact, index._ready
    normalizers = matcher.normalizers
    region_code = matcher.region_code
    match_row = matcher.match_row
    reached = matcher.reached
    outcome, organization, score, reason, evidence, differs = [], [], [], [], [], []
    reasons, evidences = _Table(), _Table(_evidence_key)
    by_code_reason, by_name_reason = reasons(BY_CODE), reasons(BY_NAME)
    by_code_evidence, by_name_evidence, no_evidence = evidences(EVIDENCE_BY_CODE), evidences(EVIDENCE_BY_NAME), evidences({})
    nan = float("nan")

    for p in positions:
        row = rows[p]
        values = row["values"]
        raw = values.get("统一社会信用代码", "")
        i = None
        if not fast:
            pass
        elif raw:
            code = normalize_credit_code(raw)
            if code:
                i = by_code.get(code)
                fast_reason, fast_evidence = by_code_reason, by_code_evidence
        else:
            region = (values.get("所在地区代码") or "").strip()
            if len(region) >= 6 and (region.startswith(region_code) or region_code.startswith(region[:6])):
                county = region[:6]
                if county not in ready:
                    index._ensure(county)
                name = normalizers[county](values.get("单位名称", ""))
                found = exact.get((county, name.is_branch, name.key))
                # A name equal only once a mistyped region word is read as meant is left to the rules (its address decides).
                if found is not None and len(found) == 1 and not (name.repaired or index.names[found[0]].repaired):
                    i = found[0]
                    fast_reason, fast_evidence = by_name_reason, by_name_evidence
        if i is not None and (known[i].deregistered or values.get("登记状态", "").strip() not in DEREGISTERED_LABELS):
            reached.add(i)
            outcome.append(MATCHED)
            organization.append(known[i].id)
            score.append(100.0)
            reason.append(fast_reason)
            evidence.append(fast_evidence)
            differs.append(False)
            continue
        result = match_row(row["row"], values)  # anything else, and a row deregistered there (GONE), by the rules
        outcome.append(OUTCOME_CODE[result.outcome])
        organization.append(NO_ORGANIZATION if result.organization_id is None else result.organization_id)
        score.append(nan if result.score is None else result.score)
        reason.append(reasons(result.reason))
        evidence.append(evidences(result.evidence) if result.evidence else no_evidence)
        differs.append(result.code_differs)
    return Decisions(
        np.asarray(positions, dtype=np.int64),
        np.array(outcome, dtype=np.int8),
        np.array(organization, dtype=np.int64),
        np.array(score, dtype=np.float64),
        np.array(reason, dtype=np.int32),
        np.array(evidence, dtype=np.int32),
        np.array(differs, dtype=bool),
        reasons.values,
        evidences.values,
    )


class Results(Sequence):
    """Every input row's result in input order, then `extra` (the missing organizations), as arrays.

    A `Result` is made when a row is read; `outcomes()` and `organization_ids()` read the arrays without making any.
    """

    def __init__(self, rows: list[dict], make: Callable, extra: list, size: int):
        self.rows, self.make, self.extra = rows, make, extra
        self.outcome = np.zeros(size, dtype=np.int8)
        self.organization = np.full(size, NO_ORGANIZATION, dtype=np.int64)
        self.score = np.full(size, np.nan)
        self.reason = np.zeros(size, dtype=np.int32)
        self.evidence = np.zeros(size, dtype=np.int32)
        self.code_differs = np.zeros(size, dtype=bool)
        self.reasons: list[str] = []
        self.evidences: list[dict] = []
        self._numbers: dict[int, dict] = {}  # per table: value (or its key) → number

    def add(self, decisions: Decisions) -> None:
        """Place a worker's decisions; its reason and evidence numbers are renumbered into this table."""
        at = decisions.positions
        self.outcome[at] = decisions.outcome
        self.organization[at] = decisions.organization
        self.score[at] = decisions.score
        self.code_differs[at] = decisions.code_differs
        self.reason[at] = np.array(self._renumber(decisions.reasons, self.reasons, None), dtype=np.int32)[decisions.reason]
        self.evidence[at] = np.array(self._renumber(decisions.evidences, self.evidences, _evidence_key), dtype=np.int32)[decisions.evidence]

    def _renumber(self, values: list, table: list, key) -> list[int]:
        numbers = self._numbers.setdefault(id(table), {})
        out = []
        for value in values:
            k = value if key is None else key(value)
            if k not in numbers:
                numbers[k] = len(table)
                table.append(value)
            out.append(numbers[k])
        return out or [0]

    def __len__(self) -> int:
        return len(self.outcome) + len(self.extra)

    def _row(self, n: int):
        row = self.rows[n]
        organization = int(self.organization[n])
        score = float(self.score[n])
        return self.make(
            row["row"],
            row["values"],
            OUTCOMES[self.outcome[n]],
            None if organization == NO_ORGANIZATION else organization,
            None if score != score else score,
            self.reasons[self.reason[n]],
            bool(self.code_differs[n]),
            dict(self.evidences[self.evidence[n]]),
        )

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        size = len(self.outcome)
        if n < 0:
            n += len(self)
        if not 0 <= n < len(self):
            raise IndexError(n)
        return self._row(n) if n < size else self.extra[n - size]

    def __iter__(self):
        for n in range(len(self.outcome)):
            yield self._row(n)
        yield from self.extra

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None

    def outcomes(self) -> list[str]:
        """The input rows' outcomes, in order (no Result made)."""
        return [OUTCOMES[code] for code in self.outcome.tolist()]

    def organization_ids(self, outcomes) -> list[int | None]:
        """Per input row, the organization when the row's outcome is one of `outcomes`, else None."""
        wanted = np.isin(self.outcome, [OUTCOME_CODE[o] for o in outcomes]) & (self.organization != NO_ORGANIZATION)
        found = np.full(len(wanted), None, dtype=object)
        found[wanted] = self.organization[wanted].tolist()  # Python ints, not numpy scalars
        return found.tolist()
