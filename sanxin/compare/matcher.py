"""Match outside registry rows against the platform's organizations of a region.

Plain records in, outcomes out: no queries here, so the page, the command and the benchmark
run the same code.

- A credit code on both sides decides: equal is a match; different is never a match by name
  (only an identical normalized name sends the pair to review, as a possible mistyped code).
- A row without a credit code is matched by normalized name within its county: an identical
  key first, then rapidfuzz similarity over the candidates that share a rare character gram,
  with the address as support. A branch never matches a head office.
- Rows located outside the compared region are set aside; platform organizations that no row
  reaches are listed as missing, never acted on automatically; a matched row that is
  deregistered there marks its organization gone.
"""

from __future__ import annotations

import gc
import multiprocessing
import operator
import os
import queue
import re
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from sanxin.compare import columnar
from sanxin.compare.models import Outcome
from sanxin.compare.normalize import NameNormalizer, NormalizedName
from sanxin.core.validators import normalize_credit_code

AUTO_MATCH = 93.0  # name similarity at or above which the best candidate is taken
AT_SAME_ADDRESS = 75.0  # ... or this, one character apart in a short name, at the same street and number
MARGIN = 5.0  # ... if it leads the runner-up by this much
REVIEW = 75.0  # below this the row is new (75: one character apart in a four-character name)
MAX_POSTING = 100  # a gram shared by more organizations of the county says nothing about identity
PARALLEL_FROM = 200_000  # rows; below this one process is quicker than forking
MAX_WORKERS = 4
CHUNK = 20_000  # rows per progress step and per forked task
DEREGISTERED_LABELS = frozenset({"注销", "吊销", "迁出"})

_NUMBERS = re.compile(r"\d+")
_add = operator.add


@dataclass(frozen=True, slots=True)
class Known:
    """A platform organization as the matcher sees it."""

    id: int
    credit_code: str
    name: str
    region_code: str
    address: str = ""
    deregistered: bool = False


@dataclass(slots=True)
class Result:
    row_number: int | None
    values: dict
    outcome: str
    organization_id: int | None = None
    score: float | None = None
    reason: str = ""
    code_differs: bool = False
    evidence: dict = field(default_factory=dict)


def same_place(a: str, b: str) -> bool | None:
    """Street and number compared: True the same, False clearly another place, None unsure."""
    numbers_a, numbers_b = _NUMBERS.findall(a), _NUMBERS.findall(b)
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return False
    score = fuzz.ratio(a, b)
    return True if score >= 90 else False if score < 50 else None


def grams(key: str) -> set[str]:
    """Character bigrams and skip-bigrams: one mistyped character leaves a gram on either side intact."""
    if len(key) <= 2:
        return {key}
    found = set(map(_add, key, key[1:]))  # key[i] + key[i + 1], and key[i] + "_" + key[i + 2]: map runs in C
    found.update(map(_add, map(_add, key, "_" * len(key)), key[2:]))
    return found


class Normalizers:
    """One normalizer per county, from its own province, city and county names and its townships."""

    def __init__(self, region_names: dict[str, str]):
        self.names = region_names  # code → name, levels 1 to 4
        self.townships: dict[str, list[str]] = defaultdict(list)
        for code, name in region_names.items():
            if len(code) == 9:
                self.townships[code[:6]].append(name)
        self._built: dict[str, NameNormalizer] = {}

    def __getitem__(self, place: str) -> NameNormalizer:
        """`place`: a county code, or the code of a larger region for rows that name no county."""
        normalizer = self._built.get(place)
        if normalizer is None:
            chain = [self.names[place[:n]] for n in (2, 4, 6) if len(place) >= n and place[:n] in self.names]
            normalizer = self._built[place] = NameNormalizer(chain, self.townships.get(place, ()))
        return normalizer


class KnownIndex:
    """The platform side, indexed by credit code, by exact key and by rare gram within each county.

    Only the credit codes and the counties' member lists are built at once; a county's names, exact keys and gram
    postings are built the first time a row asks for that county (`_ensure`), so forked workers that split the rows
    by county each build only their own counties, in parallel. The lists come out as a whole build would give them.
    """

    def __init__(self, known: list[Known], normalizers: Normalizers):
        self.known = known
        self.normalizers = normalizers
        self.names: list[NormalizedName | None] = [None] * len(known)
        self.by_code = {k.credit_code: i for i, k in enumerate(known) if k.credit_code}
        self.members: dict[str, list[int]] = defaultdict(list)
        for i, k in enumerate(known):
            self.members[k.region_code[:6]].append(i)
        self.exact: dict[tuple[str, bool, str], list[int]] = {}
        self.postings: dict[tuple[str, bool], dict[str, list[int]]] = {}  # rare grams only (≤ MAX_POSTING)
        self.counties = sorted(self.members)
        self._ready: set[str] = set()

    def _ensure(self, county: str) -> None:
        if county in self._ready:
            return
        self._ready.add(county)
        members = self.members.get(county)
        if not members:
            return
        known, names, exact, postings = self.known, self.names, self.exact, self.postings
        normalize = self.normalizers[county]
        blocks = {False: defaultdict(list), True: defaultdict(list)}
        for i in members:
            name = names[i] = normalize(known[i].name)
            exact.setdefault((county, name.is_branch, name.key), []).append(i)
            block = blocks[name.is_branch]
            for gram in grams(name.key):
                block[gram].append(i)
        for is_branch, block in blocks.items():
            if block:  # only the rare grams are kept: the others are never read
                postings[(county, is_branch)] = {gram: posting for gram, posting in block.items() if len(posting) <= MAX_POSTING}

    def name(self, i: int) -> NormalizedName:
        self._ensure(self.known[i].region_code[:6])
        return self.names[i]

    def counties_under(self, prefix: str) -> list[str]:
        return [c for c in self.counties if c.startswith(prefix)]

    def exact_matches(self, counties: list[str], name: NormalizedName) -> list[int]:
        found = []
        for county in counties:
            if county not in self._ready:
                self._ensure(county)
            found += self.exact.get((county, name.is_branch, name.key), ())
        return found

    def candidates(self, counties: list[str], name: NormalizedName) -> set[int]:
        """The organizations that share a rare gram with the name."""
        found: set[int] = set()
        key_grams = None
        for county in counties:
            if county not in self._ready:
                self._ensure(county)
            block = self.postings.get((county, name.is_branch))
            if not block:
                continue
            if key_grams is None:
                key_grams = grams(name.key)
            found.update(*filter(None, map(block.get, key_grams)))  # the postings in gram order, looked up in C
        return found


class Matcher:
    def __init__(self, known: Iterable[Known], *, region_code: str, region_names: dict[str, str]):
        self.region_code = region_code
        self.normalizers = Normalizers(region_names)
        self.index = KnownIndex(list(known), self.normalizers)
        self.reached: set[int] = set()  # organizations some row matched or proposed

    def run(
        self,
        rows: Iterable[dict],
        *,
        progress: Callable[[int], None] | None = None,
        workers: int | None = None,
        fast: bool = True,
    ) -> Sequence[Result]:
        """Every row's result in input order, then the missing organizations.

        `fast` (the default) settles the rows a lookup settles column-wise and keeps the results as arrays
        (`columnar.Results`); `fast=False` sends every row through `match_row`, the reference the fast path is tested
        against. Large inputs are split by county among forked workers."""
        rows = rows if isinstance(rows, list) else list(rows)
        if workers is None:
            workers = min(os.cpu_count() or 1, MAX_WORKERS) if len(rows) >= PARALLEL_FROM else 1
        collecting = gc.isenabled()
        gc.disable()  # millions of small objects that live to the end: a collection would only walk them
        try:
            if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
                results = self._run_forked(rows, workers, progress, fast)
            elif fast:
                results = self._results(rows)
                for start in range(0, len(rows), CHUNK):
                    results.add(columnar.decide(self, rows, range(start, min(start + CHUNK, len(rows)))))
                    if progress:
                        progress(min(start + CHUNK, len(rows)))
            else:
                results = []
                for count, row in enumerate(rows, start=1):
                    results.append(self.match_row(row["row"], row["values"]))
                    if progress and count % CHUNK == 0:
                        progress(count)
            missing = self.missing()
        finally:
            if collecting:
                gc.enable()
        if isinstance(results, list):
            return results + missing
        results.extra = missing
        return results

    def _results(self, rows: list[dict]) -> columnar.Results:
        return columnar.Results(rows, Result, [], len(rows))

    def _tasks(self, rows: list[dict], workers: int) -> list[np.ndarray]:
        """The rows' positions grouped by county, largest first; a county too large to balance is cut in pieces."""
        county_of: dict[str, int] = {}
        numbers = np.fromiter(
            (county_of.setdefault(((r["values"].get("所在地区代码") or "").strip())[:6], len(county_of)) for r in rows),
            dtype=np.int32,
            count=len(rows),
        )
        order = np.argsort(numbers, kind="stable")
        bounds = np.cumsum(np.bincount(numbers, minlength=len(county_of)))
        limit = max(CHUNK, len(rows) // (4 * workers))
        tasks = []
        for group in np.split(order, bounds[:-1]):
            tasks += [group[start : start + limit] for start in range(0, len(group), limit)]
        return sorted(tasks, key=len, reverse=True)

    def _run_forked(self, rows: list[dict], workers: int, progress, fast: bool = True) -> columnar.Results:
        """Forked workers share the rows and the index copy-on-write and take whole counties from a queue, so each
        builds the index of its own counties only; they send back arrays, placed here by row position."""
        tasks = self._tasks(rows, workers)
        context = multiprocessing.get_context("fork")
        todo, done = context.SimpleQueue(), context.Queue()
        for number in range(len(tasks)):
            todo.put(number)
        for _ in range(workers):
            todo.put(None)
        gc.freeze()  # the parent's objects stay out of the children's collections, and their pages shared
        processes = [context.Process(target=_worker, args=(self, rows, tasks, todo, done, fast), daemon=True) for _ in range(workers)]
        try:
            for process in processes:
                process.start()
            results = self._results(rows)
            finished, placed = 0, 0
            while finished < workers:
                try:
                    message = done.get(timeout=5)
                except queue.Empty:
                    if any(p.exitcode not in (None, 0) for p in processes):
                        raise RuntimeError("比对进程意外退出") from None
                    continue
                kind, payload = message
                if kind == "error":
                    raise RuntimeError(payload)
                if kind == "rows":
                    results.add(payload)
                    placed += len(payload.positions)
                    if progress:
                        progress(placed)
                else:  # "reached": a worker is done
                    self.reached.update(payload.tolist())
                    finished += 1
            for process in processes:
                process.join()
        finally:
            for process in processes:
                if process.is_alive():
                    process.terminate()
                    process.join()
            gc.unfreeze()
        return results

    def match_row(self, number: int, values: dict) -> Result:
        index = self.index
        code = normalize_credit_code(values.get("统一社会信用代码", ""))
        gone_there = values.get("登记状态", "").strip() in DEREGISTERED_LABELS
        if code and code in index.by_code:
            i = index.by_code[code]
            self.reached.add(i)
            return self._matched(number, values, i, 100.0, "统一社会信用代码一致", gone_there, {"code": "equal"})
        region = (values.get("所在地区代码") or "").strip()
        if region and not (region.startswith(self.region_code) or self.region_code.startswith(region[:6])):
            return Result(number, values, Outcome.OUTSIDE, reason="所在地区不在本次比对范围内")
        county = region[:6] if len(region) >= 6 else ""
        counties = [county] if county else index.counties_under(self.region_code[:6])
        normalize = self.normalizers[county or self.region_code[:6]]
        name = normalize(values.get("单位名称", ""))
        exact = index.exact_matches(counties, name)
        if code:  # a different credit code: the same name is only a possible typo in the code
            if exact:
                i = exact[0]
                self.reached.add(i)
                other = index.known[i].credit_code
                return Result(number, values, Outcome.REVIEW, index.known[i].id, 100.0, f"名称一致但统一社会信用代码不同（平台为 {other}）")
            return Result(number, values, Outcome.NEW, reason="平台名录中没有这个统一社会信用代码")
        if len(exact) == 1:
            self.reached.add(exact[0])
            return self._matched(number, values, exact[0], 100.0, "名称规范化后一致", gone_there, {"code": "absent", "name": "equal"})
        if len(exact) > 1:
            self.reached.update(exact)
            return Result(number, values, Outcome.REVIEW, index.known[exact[0]].id, 100.0, f"名称一致的单位有 {len(exact)} 个，需人工确认")
        return self._by_similarity(number, values, counties, normalize, name, gone_there)

    def _by_similarity(
        self, number: int, values: dict, counties: list[str], normalize: NameNormalizer, name: NormalizedName, gone_there: bool
    ) -> Result:
        index = self.index
        candidates = {i: index.names[i].key for i in index.candidates(counties, name)}
        scored = process.extract(name.key, candidates, scorer=fuzz.ratio, limit=2)
        if not scored:
            return Result(number, values, Outcome.NEW, reason="平台名录中没有相近的单位")
        _key, score, i = scored[0]
        unique = score - (scored[1][1] if len(scored) > 1 else 0.0) >= MARGIN
        address, known = values.get("详细地址", "").strip(), index.known[i]
        place = None
        if address and known.address:  # street and number only: a shared city and county prove nothing
            place = same_place(normalize.address(address), self.normalizers[known.region_code[:6]].address(known.address))
        strong = score >= AUTO_MATCH and place is not False
        near_here = score >= AT_SAME_ADDRESS and place is True
        if unique and (strong or near_here):
            self.reached.add(i)
            reason = "名称高度相似" if score >= AUTO_MATCH else "名称相近且地址相同"
            return self._matched(number, values, i, round(score, 1), reason, gone_there)
        if place is False and score < AUTO_MATCH:
            return Result(number, values, Outcome.NEW, score=round(score, 1), reason="名称相近的单位在另一地址")
        if score < REVIEW and not near_here:
            return Result(number, values, Outcome.NEW, score=round(score, 1), reason="平台名录中没有相近的单位")
        self.reached.add(i)
        where = {True: "，地址相同", False: "，地址不同", None: ""}[place]
        return Result(number, values, Outcome.REVIEW, known.id, round(score, 1), f"名称相似度 {score:.0f}{where}，需人工确认")

    def _matched(
        self, number: int, values: dict, i: int, score: float, reason: str, gone_there: bool, evidence: dict | None = None
    ) -> Result:
        known = self.index.known[i]
        evidence = evidence or {}
        if gone_there and not known.deregistered:
            reason = f"{reason}；外部名录显示已{values['登记状态'].strip()}"
            return Result(number, values, Outcome.GONE, known.id, score, reason, evidence=evidence)
        return Result(number, values, Outcome.MATCHED, known.id, score, reason, evidence=evidence)

    def missing(self) -> list[Result]:
        return [
            Result(None, {}, Outcome.MISSING, k.id, None, "外部名录中没有这个单位")
            for i, k in enumerate(self.index.known)
            if i not in self.reached and not k.deregistered
        ]


def _worker(matcher: Matcher, rows: list[dict], tasks: list[np.ndarray], todo, done, fast: bool) -> None:
    """A forked worker: takes tasks (row positions of a county) until told to stop, sends each task's decisions,
    then the organizations its rows reached."""
    gc.disable()  # it lives for one comparison; what it makes lives to the end
    matcher.reached = set()
    try:
        while (number := todo.get()) is not None:
            positions = tasks[number]
            done.put(("rows", columnar.decide(matcher, rows, positions.tolist(), fast=fast)))
        done.put(("reached", np.fromiter(matcher.reached, dtype=np.int64, count=len(matcher.reached))))
    except BaseException:  # the parent says what failed instead of waiting
        done.put(("error", traceback.format_exc()))
    finally:
        done.close()
        done.join_thread()


def match(rows: Iterable[dict], known: Iterable[Known], *, region_code: str, region_names: dict[str, str], progress=None) -> list[Result]:
    return Matcher(known, region_code=region_code, region_names=region_names).run(rows, progress=progress)
