"""Match outside registry rows against the platform's organizations of a region.

Plain records in, outcomes out: no queries here, so the page, the command and the benchmark
run the same code.

- A credit code on both sides decides: equal is a match. A different code is a match only when it
  looks mistyped (a few places apart) and the name and the address agree: the row is matched and
  marked for correction of the code (`code_differs`). An identical name elsewhere or without an
  address sends the pair to review; anything else is new.
- A row without a credit code is matched by normalized name within its county: an identical
  key first, then rapidfuzz similarity over the candidates that share a rare character gram,
  with the address as support. A branch never matches a head office.
- Thresholds come from `thresholds.py`, fitted on a labelled set (bench/compare_calibrate.py);
  each result keeps its evidence (code, name, address verdicts: `evidence.py`).
- Rows located outside the compared region are set aside; platform organizations that no row
  reaches are listed as missing, never acted on automatically; a matched row that is
  deregistered there marks its organization gone.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import operator
import os
import queue
import re
import signal
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from sanxin.compare import columnar, evidence, thresholds
from sanxin.compare.models import Outcome
from sanxin.compare.normalize import NameNormalizer, NormalizedName, names_a_branch, sounds_the_same, unify
from sanxin.core.validators import normalize_credit_code

NEAR_TIE = 10.0  # candidates this close to the best by name are told apart by address and sound, not by the name alone
MAX_POSTING = 100  # a gram shared by more organizations of the county says nothing about identity
PARALLEL_FROM = 200_000  # rows; below this one process is quicker than forking
MAX_WORKERS = 4
CHUNK = 20_000  # rows per progress step and per forked task
DEREGISTERED_LABELS = frozenset({"注销", "吊销", "迁出"})
PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies

_NUMBERS = re.compile(r"\d+")
_add = operator.add


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while the millions of small objects of a comparison are made and read: they live to
    its end, so a collection would only walk them (making 5M rows with it on took 20 s, 6 s without)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


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


@dataclass(slots=True)  # not frozen: a frozen dataclass is made several times slower, and one is made per candidate looked at
class Similar:
    """The best candidate by name for a row, and what the decision rules look at."""

    index: int
    score: float  # name similarity 0–100
    runner_up: float  # the second best candidate's similarity (0 without one)
    sound: bool  # the names differ only by characters that sound alike, or by a stray character in front
    place: bool | None  # same street and number, another place, or unsure (an address missing)
    has_addresses: bool


def similar_decision(c: Similar, t=thresholds) -> str:
    """A row without a credit code and with no identical name: "match", "review" or "new"."""
    unique = c.score > c.runner_up and c.score - c.runner_up >= t.MARGIN  # a tie is never unique
    strong = c.score >= t.AUTO_MATCH and c.place is not False
    near_here = c.score >= t.AT_SAME_ADDRESS and c.place is True
    heard = c.sound and c.score >= t.SOUND_ALIKE and c.place is not False
    if unique and (strong or near_here or heard):
        return "match"
    if c.place is False and c.score < t.AUTO_MATCH:
        return "new"
    if c.score < t.REVIEW and not near_here:
        return "new"
    return "review"


def code_decision(c: Similar, apart: int, t=thresholds) -> str:
    """A row whose credit code the platform does not have, and its best candidate by name: "correct" (matched,
    the code to be corrected), "review" (the same name without an address that settles it) or "new"."""
    agrees = c.score >= 100 or c.score >= t.CODE_NAME or (c.sound and c.score >= t.SOUND_ALIKE)
    unique = c.score > c.runner_up and c.score - c.runner_up >= t.MARGIN
    if agrees and c.place is True and apart <= t.CODE_DIGITS and unique:
        return "correct"
    if c.score >= 100 and c.place is not False:
        return "review"
    return "new"


def stray_head(a: str, b: str) -> bool:
    """One name is the other with one more character in front: what a mistyped region suffix leaves (宜春附东天 → 附东天)."""
    return (len(a) == len(b) + 1 and a.endswith(b)) or (len(b) == len(a) + 1 and b.endswith(a))


def codes_apart(a: str, b: str) -> int:
    """In how many places two credit codes differ (their lengths apart counting too)."""
    return sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b))


def same_place(a: str, b: str) -> bool | None:
    """Street and number compared: True the same, False clearly another place, None unsure."""
    numbers_a, numbers_b = _NUMBERS.findall(a), _NUMBERS.findall(b)
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return False
    if numbers_a and numbers_b:  # the same number on clearly another road (人民路18号, 阳明路18号) is another place
        road_a, road_b = a[: a.index(numbers_a[0])], b[: b.index(numbers_b[0])]
        if road_a and road_b and fuzz.ratio(road_a, road_b) < 50:
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


# Names the division files give groupings that are no places (市辖区, 省直辖县级行政区划): an address never starts with one.
GROUPING_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


class Normalizers:
    """One normalizer per county, from its own province, city and county names and its townships."""

    def __init__(self, region_names: dict[str, str]):
        self.names = region_names  # code → name, levels 1 to 4
        self.townships: dict[str, list[str]] = defaultdict(list)
        for code, name in region_names.items():
            if len(code) == 9:
                self.townships[code[:6]].append(name)
        self._built: dict[str, NameNormalizer] = {}
        # The official names of the provinces, cities and counties → their codes (a name may be two places').
        self._official: dict[str, list[str]] = defaultdict(list)
        for code, name in region_names.items():
            if len(code) in (2, 4, 6) and name not in GROUPING_NAMES:
                self._official[name].append(code)
        self._longest = max(map(len, self._official), default=0)

    def region_named(self, within: str, *texts: str) -> str:
        """The county a row without one names at the start of the first of `texts` (its address, then its name)
        that starts with one, else the city or province the first names: official names only (a short form may be
        a brand or a road: 东湖宾馆, 东湖路), a county after any province and city names and under the city named.
        A name that two places bear is taken for the one under `within`. The region may lie outside `within`: the
        caller decides. "" when none or unsure."""
        larger = ""
        for text in texts:
            text, place = unify(text), ""
            while True:
                word = next((text[:n] for n in range(min(self._longest, len(text) - 2), 1, -1) if text[:n] in self._official), "")
                codes = [code for code in self._official.get(word, ()) if code.startswith(place)]
                if len(codes) > 1:
                    codes = [code for code in codes if code.startswith(within) or within.startswith(code)]
                if len(codes) != 1:
                    break  # no more region names, a county of another city than the one named, or unsure which
                if len(codes[0]) == 6:
                    return codes[0]
                place, text = codes[0], text[len(word) :]
            larger = larger or place
        return larger

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
        self.keys: list[str | None] = [None] * len(known)  # names[i].key, read in C when scoring candidates
        self.addresses: list[str | None] = [None] * len(known)  # address(i), once asked
        self.by_code: dict[str, int] = {}
        self.by_serial: dict[str, list[int]] = defaultdict(list)  # the organization part of the code (characters 9–17)
        self.members: dict[str, list[int]] = defaultdict(list)
        by_code, by_serial, members = self.by_code, self.by_serial, self.members
        for i, k in enumerate(known):  # one pass: a million organizations are read here before any worker starts
            code = k.credit_code
            if code:
                by_code[code] = i
                if len(code) == 18:
                    by_serial[code[8:17]].append(i)
            members[k.region_code[:6]].append(i)
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
        known, names, keys, exact, postings = self.known, self.names, self.keys, self.exact, self.postings
        normalize = self.normalizers[county]
        blocks = {False: defaultdict(list), True: defaultdict(list)}
        for i in members:
            name = names[i] = normalize(known[i].name)
            keys[i] = name.key
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

    def address(self, i: int) -> str:
        """The street and number of organization i (normalized once; "" for none)."""
        known = self.known[i]
        found = self.addresses[i] = self.normalizers[known.region_code[:6]].address(known.address) if known.address else ""
        return found

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
        with collection_paused():
            self.index = KnownIndex(list(known), self.normalizers)
        self.reached: set[int] = set()  # organizations some row matched or proposed
        self._last_address: tuple = (None, "", "")  # (normalizer, address, normalized): see _row_address

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
        with collection_paused():
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
        if isinstance(results, list):
            return results + missing
        results.extra = missing
        return results

    def _results(self, rows: list[dict]) -> columnar.Results:
        return columnar.Results(rows, Result, [], len(rows))

    def _tasks(self, rows: list[dict], workers: int) -> list[np.ndarray]:
        """The rows' positions grouped by county, largest first; a county too large to balance is cut in pieces."""
        county_of: dict[str, int] = {}
        counties = [(r["values"].get("所在地区代码") or "").strip()[:6] for r in rows]
        for county in counties:  # numbered in order of appearance
            if county not in county_of:
                county_of[county] = len(county_of)
        numbers = np.fromiter(map(county_of.__getitem__, counties), dtype=np.int32, count=len(rows))
        order = np.argsort(numbers, kind="stable")
        bounds = np.cumsum(np.bincount(numbers, minlength=len(county_of)))
        limit = max(CHUNK, len(rows) // (4 * workers))
        tasks = []
        for group in np.split(order, bounds[:-1]):
            tasks += [group[start : start + limit] for start in range(0, len(group), limit)]
        return sorted(tasks, key=len, reverse=True)

    def _run_forked(self, rows: list[dict], workers: int, progress, fast: bool = True) -> columnar.Results:
        """This process and `workers - 1` forked children share the rows and the index copy-on-write and take whole
        counties in turn (`_Tasks`), so each builds the index of its own counties only; the children send back arrays,
        placed here by row position. Working here too, not waiting, means a page of the rows is copied once, by the
        first of the two processes to write its reference counts, not once by each of two children."""
        tasks = self._tasks(rows, workers)
        context = multiprocessing.get_context("fork")
        todo, done = _Tasks(context, len(tasks)), context.Queue()
        gc.freeze()  # the parent's objects stay out of the children's collections, and their pages shared
        children = [context.Process(target=_worker, args=(self, rows, tasks, todo, done, fast), daemon=True) for _ in range(workers - 1)]
        results = self._results(rows)
        placed = 0

        def place(decisions: columnar.Decisions) -> None:
            nonlocal placed
            results.add(decisions)
            placed += len(decisions.positions)
            if progress:
                progress(placed)

        def take(message) -> bool:
            """Place a child's message; True when that child is done."""
            kind, payload = message
            if kind == "error":
                raise RuntimeError(payload)
            if kind == "reached":
                self.reached.update(payload.tolist())
                return True
            place(payload)
            return False

        def children_alive() -> bool:
            return all(p.exitcode in (None, 0) for p in children)

        try:
            for child in children:
                child.start()
            finished = 0
            while (number := todo.take(children_alive)) is not None:
                place(columnar.decide(self, rows, tasks[number].tolist(), fast=fast))
                while True:  # what the children sent meanwhile
                    try:
                        finished += take(done.get_nowait())
                    except queue.Empty:
                        break
            while finished < len(children):
                try:
                    message = done.get(timeout=5)
                except queue.Empty:
                    if not children_alive():
                        raise RuntimeError("比对进程意外退出") from None
                    continue
                finished += take(message)
            for child in children:
                child.join()
        finally:
            for child in children:
                if child.is_alive():
                    child.terminate()
                    child.join()
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
        within = region if len(region) > len(self.region_code) else self.region_code[:6]  # a row that names its city only
        firm = values.get("单位名称", "")
        # A branch's name often begins with its head office's county: only its address places it.
        texts = (values.get("详细地址", ""),) if names_a_branch(firm) else (values.get("详细地址", ""), firm)
        named = "" if county else self.normalizers.region_named(within, *texts)
        if named and not (named.startswith(self.region_code) or self.region_code.startswith(named)):
            return Result(
                number,
                values,
                Outcome.OUTSIDE,
                reason=f"所在地区代码未写到区县，地址或名称所写的{self.normalizers.names[named]}不在本次比对范围内",
            )
        if len(named) == 6 and named.startswith(within):  # the county the row names, inside the region its code gives
            result = self._in_counties(number, values, code, [named], named, gone_there)
            result.reason = f"{result.reason}（所在地区代码未写到区县，按地址或名称所写定为{self.normalizers.names[named]}）"
            return result
        return self._in_counties(number, values, code, [county] if county else index.counties_under(within), county or within, gone_there)

    def _in_counties(self, number: int, values: dict, code: str, counties: list[str], place: str, gone_there: bool) -> Result:
        """A row whose code the platform does not have, or that has none, compared within `counties` (`place`: the
        county, or the larger region of a row that names none)."""
        index = self.index
        normalize = self.normalizers[place]
        name = normalize(values.get("单位名称", ""))
        exact = index.exact_matches(counties, name)
        if code:  # a code the platform does not have: a new firm, or a mistyped code of a firm of that name and address
            return self._by_code(number, values, code, counties, normalize, name, exact, gone_there)
        if len(exact) == 1 and (name.repaired or index.name(exact[0]).repaired):
            # Equal only once a mistyped region word was read as meant: the address must not say another firm.
            c = self.similar(values, normalize, name, exact[0], 100.0, 0.0)
            found = self._evidence("absent", c)
            if c.place is False:
                return Result(number, values, Outcome.NEW, score=100.0, reason="名称仅地区前缀一字之差，且地址不同", evidence=found)
            self.reached.add(exact[0])
            return self._matched(number, values, exact[0], 100.0, "名称规范化后一致（地区名有错字）", gone_there, found)
        if len(exact) == 1:
            self.reached.add(exact[0])
            return self._matched(number, values, exact[0], 100.0, "名称规范化后一致", gone_there, {"code": "absent", "name": "equal"})
        if len(exact) > 1:
            self.reached.update(exact)
            found = {"code": "absent", "name": "equal"}
            return Result(
                number,
                values,
                Outcome.REVIEW,
                index.known[exact[0]].id,
                100.0,
                f"名称一致的单位有 {len(exact)} 个，需人工确认",
                evidence=found,
            )
        return self._by_similarity(number, values, counties, normalize, name, gone_there)

    def best(self, values: dict, counties: list[str], normalize: NameNormalizer, name: NormalizedName, exact: list[int]) -> Similar | None:
        """The best candidate by name (an identical one first), with its similarity, the runner-up's and the address verdict."""
        index = self.index
        if exact:
            i, score, runner_up = exact[0], 100.0, (100.0 if len(exact) > 1 else 0.0)
        else:
            found = sorted(index.candidates(counties, name))  # their counties are built: their keys are there
            # In a fixed order (a set's order follows the hashing of the grams, which differs per process), so that
            # equal scores rank the same in every run; their keys as a list, quicker to make than a dict.
            scored = process.extract(name.key, list(map(index.keys.__getitem__, found)), scorer=fuzz.ratio, limit=3)
            if not scored:
                return None
            _key, score, at = scored[0]
            i = found[at]
            runner_up = scored[1][1] if len(scored) > 1 else 0.0
            if score < 100 and runner_up >= score - NEAR_TIE:  # near-equal names: the address and the sound choose
                return self._among(values, normalize, name, [(found[j], s) for _k, s, j in scored if s >= score - NEAR_TIE])
        return self.similar(values, normalize, name, i, score, runner_up)

    def _among(self, values: dict, normalize: NameNormalizer, name: NormalizedName, scored: list[tuple[int, float]]) -> Similar:
        """Of near-equal candidates, the one at the same place, else the one that only sounds different, else the most
        similar; its runner-up is the best of the others as well supported (none: 0)."""
        options = [self.similar(values, normalize, name, i, score, 0.0) for i, score in scored]

        def support(c: Similar) -> tuple[bool, bool]:
            return (c.place is True, c.sound)

        options.sort(key=lambda c: (support(c), c.score), reverse=True)
        chosen = options[0]
        rivals = [c.score for c in options[1:] if support(c) == support(chosen)]
        chosen.runner_up = max(rivals, default=0.0)
        return chosen

    def similar(self, values: dict, normalize: NameNormalizer, name: NormalizedName, i: int, score: float, runner_up: float) -> Similar:
        """What the rules look at for one candidate: the address verdict and whether the names only sound different."""
        index = self.index
        address = values.get("详细地址", "").strip()
        has_addresses = bool(address and index.known[i].address)
        place = None
        if has_addresses:  # street and number only: a shared city and county prove nothing
            place = same_place(self._row_address(normalize, address), index.addresses[i] or index.address(i))
        other = index.keys[i] or index.name(i).key
        sound = score < 100 and (sounds_the_same(name.key, other) or stray_head(name.key, other))
        return Similar(i, score, runner_up, sound, place, has_addresses)

    def _row_address(self, normalize: NameNormalizer, address: str) -> str:
        """The row's street and number, normalized once for all the candidates it is compared with."""
        last = self._last_address
        if last[0] is not normalize or last[1] != address:
            last = self._last_address = (normalize, address, normalize.address(address))
        return last[2]

    def by_code_typo(self, code: str, normalize: NameNormalizer, name: NormalizedName, values: dict, exact: list[int]) -> Similar | None:
        """The candidates for a code the platform does not have: the organizations of the same normalized name, and those
        whose code differs only outside its nine-character organization part (the region digits mistyped), by name."""
        index = self.index
        pool = {i: 100.0 for i in exact}
        for i in index.by_serial.get(code[8:17], ()) if len(code) == 18 else ():
            if i not in pool and index.name(i).is_branch == name.is_branch:
                pool[i] = fuzz.ratio(name.key, index.name(i).key)
        if not pool:
            return None
        ranked = sorted(pool.items(), key=lambda item: -item[1])
        (i, score), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        return self.similar(values, normalize, name, i, score, runner_up)

    def _evidence(self, code: str, c: Similar) -> dict:
        return evidence.pair(
            code=code,
            name=evidence.name_verdict(c.score, c.sound, thresholds.REVIEW),
            name_score=c.score,
            address=evidence.address_verdict(c.place, c.has_addresses),
        )

    def _by_code(
        self,
        number: int,
        values: dict,
        code: str,
        counties: list[str],
        normalize: NameNormalizer,
        name: NormalizedName,
        exact: list[int],
        gone_there: bool,
    ) -> Result:
        index = self.index
        c = self.by_code_typo(code, normalize, name, values, exact)
        if c is None:
            return Result(number, values, Outcome.NEW, reason="平台名录中没有这个统一社会信用代码")
        known = index.known[c.index]
        other = known.credit_code
        decision = code_decision(c, codes_apart(code, other) if other else 99)
        found = self._evidence("differs" if other else "absent", c)
        if decision == "correct":
            self.reached.add(c.index)
            reason = f"名称与地址一致，统一社会信用代码不同（平台为 {other}，外部名录为 {code}），请更正代码"
            return self._matched(number, values, c.index, round(c.score, 1), reason, gone_there, found, code_differs=True)
        if decision == "review":
            self.reached.add(c.index)
            return Result(
                number, values, Outcome.REVIEW, known.id, 100.0, f"名称一致但统一社会信用代码不同（平台为 {other}）", evidence=found
            )
        return Result(number, values, Outcome.NEW, reason="平台名录中没有这个统一社会信用代码", evidence=found)

    def _by_similarity(
        self, number: int, values: dict, counties: list[str], normalize: NameNormalizer, name: NormalizedName, gone_there: bool
    ) -> Result:
        index = self.index
        c = self.best(values, counties, normalize, name, [])
        if c is None:
            return Result(number, values, Outcome.NEW, reason="平台名录中没有相近的单位", evidence={"code": "absent"})
        decision = similar_decision(c)
        score, place, known = round(c.score, 1), c.place, index.known[c.index]
        found = self._evidence("absent", c)
        if decision == "match":
            self.reached.add(c.index)
            if c.score >= thresholds.AUTO_MATCH:
                reason = "名称高度相似"
            elif place is True:
                reason = "名称相近且地址相同"
            else:
                reason = "名称读音相同，仅个别字不同"
            return self._matched(number, values, c.index, score, reason, gone_there, found)
        if decision == "new":
            elsewhere = place is False and (c.sound or c.score >= thresholds.REVIEW)
            reason = "名称相近的单位在另一地址" if elsewhere else "平台名录中没有相近的单位"
            return Result(number, values, Outcome.NEW, score=score, reason=reason, evidence=found)
        self.reached.add(c.index)
        where = {True: "，地址相同", False: "，地址不同", None: ""}[place]
        return Result(number, values, Outcome.REVIEW, known.id, score, f"名称相似度 {c.score:.0f}{where}，需人工确认", evidence=found)

    def _matched(
        self, number: int, values: dict, i: int, score: float, reason: str, gone_there: bool, found: dict, *, code_differs: bool = False
    ) -> Result:
        known = self.index.known[i]
        if gone_there and not known.deregistered:
            reason = f"{reason}；外部名录显示已{values['登记状态'].strip()}"
            return Result(number, values, Outcome.GONE, known.id, score, reason, code_differs, found)
        return Result(number, values, Outcome.MATCHED, known.id, score, reason, code_differs, found)

    def missing(self) -> list[Result]:
        known = self.index.known
        unreached = np.ones(len(known), dtype=bool)
        unreached[np.fromiter(self.reached, dtype=np.int64, count=len(self.reached))] = False
        return [
            Result(None, {}, Outcome.MISSING, known[i].id, None, "外部名录中没有这个单位")
            for i in np.flatnonzero(unreached).tolist()
            if not known[i].deregistered
        ]


class _Tasks:
    """The number of the next task, shared by this process and its forked children. It is taken under a lock with a
    timeout, so that a process whose partner died holding the lock (SIGKILL) fails instead of waiting for ever."""

    WAIT = 5.0  # seconds between checks that the partner is alive

    def __init__(self, context, count: int):
        self.lock, self.next, self.count = context.Lock(), context.RawValue("q", 0), count

    def take(self, partner_alive: Callable[[], bool]) -> int | None:
        while not self.lock.acquire(timeout=self.WAIT):
            if not partner_alive():
                raise RuntimeError("比对进程意外退出")
        try:
            number = self.next.value
            self.next.value = number + 1
        finally:
            self.lock.release()
        return number if number < self.count else None


def _worker(matcher: Matcher, rows: list[dict], tasks: list[np.ndarray], todo, done, fast: bool) -> None:
    """A forked worker: takes tasks (row positions of a county) until none is left, sends each task's decisions,
    then the organizations its rows reached."""
    gc.disable()  # it lives for one comparison; what it makes lives to the end
    matcher.reached = set()
    parent = os.getppid()
    _die_with_parent(parent)

    def parent_alive() -> bool:
        return os.getppid() == parent

    try:
        while parent_alive() and (number := todo.take(parent_alive)) is not None:
            positions = tasks[number]
            done.put(("rows", columnar.decide(matcher, rows, positions.tolist(), fast=fast)))
        done.put(("reached", np.fromiter(matcher.reached, dtype=np.int64, count=len(matcher.reached))))
    except BaseException:  # the parent says what failed instead of waiting
        done.put(("error", traceback.format_exc()))
    finally:
        if not parent_alive():  # nobody reads what is left in the pipe: drop it instead of waiting for ever
            done.cancel_join_thread()
        done.close()
        done.join_thread()


def _die_with_parent(parent: int) -> None:
    """A child whose job process was killed would go on with counties nobody reads, then wait for ever to hand them
    over: on Linux the kernel kills it with its parent (PR_SET_PDEATHSIG); elsewhere it checks before each county."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux
        pass
    if os.getppid() != parent:  # killed before the request took effect
        os._exit(1)


def match(rows: Iterable[dict], known: Iterable[Known], *, region_code: str, region_names: dict[str, str], progress=None) -> list[Result]:
    return Matcher(known, region_code=region_code, region_names=region_names).run(rows, progress=progress)
