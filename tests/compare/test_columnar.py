"""The comparison's fast path (lookups column-wise, results as arrays, forked workers by county) gives exactly what
`match_row` gives row by row."""

import os
import random
import time

import numpy as np
import pytest

from sanxin.compare import columnar, matcher
from sanxin.compare.matcher import Known, Matcher
from sanxin.core.validators import normalize_credit_code

NAMES = {
    "36": "江西省",
    "3601": "南昌市",
    "360102": "东湖区",
    "360103": "西湖区",
    "360111": "青山湖区",
    "360102002": "滕王阁街道",
    "360103001": "南浦街道",
    "360111001": "湖坊镇",
}
COUNTIES = ["360102", "360103", "360111"]
BRANDS = "鑫华恒盛通达顺丰源泰宏远博创金瑞祥安嘉德兴隆昌和美佳荣"
LINES = ["快递", "物流", "商贸", "网络科技", "家政服务", "餐饮管理"]
FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHJKLMNPQRTUWXY"}
LOOKALIKE = {"源": "元", "达": "大", "华": "桦", "盛": "胜", "祥": "翔", "嘉": "佳", "隆": "龙"}


def code(serial: int, county: str = "360102") -> str:
    from stdnum.cn import uscc

    body = f"91{county}{serial:09d}"[:17]
    return body + uscc.calc_check_digit(body)


def generated(seed: int = 14):
    """Platform organizations (firms, branches, twins with one name in two communities, some deregistered) and
    outside rows of every kind the matcher tells apart."""
    rng = random.Random(seed)
    known, serial = [], 0
    for county in COUNTIES:
        for _ in range(60):
            serial += 1
            brand = "".join(rng.choices(BRANDS, k=rng.choice([2, 3])))
            name = f"{rng.choice(['', '南昌', '南昌市', '江西'])}{brand}{rng.choice(LINES)}有限公司"
            if rng.random() < 0.1:
                name += rng.choice(["东湖分公司", "营业部"])
            address = f"南昌市{NAMES[county]}中山路{rng.randrange(1, 300)}号"
            known.append(Known(serial, code(serial, county), name, f"{county}001001", address, rng.random() < 0.1))
        twin = f"南昌双胞胎{county}商贸有限公司"
        for community in ("001001", "001002"):
            serial += 1
            known.append(Known(serial, code(serial, county), twin, county + community, "南昌市中山路1号"))
    rows = []
    for n in range(1500):
        firm = rng.choice(known)
        county = firm.region_code[:6]
        values = {"单位名称": firm.name, "所在地区代码": rng.choice([firm.region_code, county]), "详细地址": firm.address}
        kind = rng.randrange(14)
        if kind == 0:  # the code, as typed
            values["统一社会信用代码"] = rng.choice([firm.credit_code, firm.credit_code.lower(), " " + firm.credit_code])
        elif kind == 1:  # full width
            values["统一社会信用代码"] = firm.credit_code.translate(FULL_WIDTH)
        elif kind == 2:  # another code, the same name: review
            values["统一社会信用代码"] = code(90000 + n, county)
        elif kind == 3:  # another code, another name: new
            values |= {"统一社会信用代码": code(90000 + n, county), "单位名称": f"全新{n}物流有限公司"}
        elif kind == 4:  # a blank code
            values["统一社会信用代码"] = "  "
        elif kind == 5:  # the name with another prefix and brackets
            values["单位名称"] = firm.name.replace("南昌市", "").replace("有限公司", "有限责任公司")
        elif kind == 6:  # a look-alike character
            for a, b in LOOKALIKE.items():
                if a in firm.name:
                    values["单位名称"] = firm.name.replace(a, b, 1)
                    break
        elif kind == 7:  # a new firm
            values["单位名称"] = f"南昌{rng.choice(BRANDS)}{n}科技有限公司"
        elif kind == 8:  # outside the compared region
            values["所在地区代码"] = "360403001001"
        elif kind == 9:  # no place given, or only the city
            values["所在地区代码"] = rng.choice(["", "3601"])
        elif kind == 10:  # another address
            values["详细地址"] = "南昌市东湖区阳明路999号"
        if rng.random() < 0.08:
            values["登记状态"] = rng.choice(["注销", "吊销", "迁出", " 注销 "])
        rows.append({"row": n + 2, "values": values})
    return known, rows


def table(results):
    return [(r.row_number, r.outcome, r.organization_id, r.score, r.reason, r.code_differs, r.evidence, r.values) for r in results]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(matcher, "CHUNK", 50)


def test_the_fast_path_gives_what_match_row_gives(small_chunks):
    known, rows = generated()
    reference = Matcher(known, region_code="3601", region_names=NAMES).run(rows, workers=1, fast=False)
    outcomes = {r.outcome for r in reference}
    assert outcomes == {"matched", "new", "review", "gone", "missing", "outside"}  # every kind of row is there
    for workers in (1, 2):
        fast = Matcher(known, region_code="3601", region_names=NAMES).run(rows, workers=workers)
        assert isinstance(fast, columnar.Results)
        assert table(fast) == table(reference)
    forked_reference = Matcher(known, region_code="3601", region_names=NAMES).run(rows, workers=2, fast=False)
    assert table(forked_reference) == table(reference)


def test_the_fast_path_settles_lookups_without_match_row(monkeypatch):
    known, rows = generated()
    one = Matcher(known, region_code="3601", region_names=NAMES)
    calls = []
    match_row = one.match_row
    monkeypatch.setattr(one, "match_row", lambda number, values: calls.append(number) or match_row(number, values))
    results = one.run(rows, workers=1)
    by_code = [r for r in results if r.reason == "统一社会信用代码一致"]
    by_name = [r for r in results if r.reason == "名称规范化后一致"]
    assert by_code and by_name
    assert all(r.evidence == {"code": "equal"} and not r.code_differs for r in by_code)
    assert all(r.evidence == {"code": "absent", "name": "equal"} and not r.code_differs for r in by_name)
    # settled by lookup: every code match, and the name matches of rows without a code that name their county
    assert not {r.row_number for r in by_code} & set(calls)
    placed = [r for r in by_name if len(r.values["所在地区代码"]) >= 6 and "统一社会信用代码" not in r.values]
    assert placed and not {r.row_number for r in placed} & set(calls)
    assert {r.row_number for r in by_name if len(r.values["所在地区代码"]) < 6} <= set(calls)  # the rest by match_row
    assert len(calls) < len(rows)
    gone = [r for r in results if r.outcome == "gone"]
    assert gone and all(r.row_number in calls for r in gone)  # deregistered there: by the rules in match_row
    assert any("；外部名录显示已" in r.reason for r in gone)


def test_results_read_as_a_list_and_as_arrays():
    known, rows = generated()
    results = Matcher(known, region_code="3601", region_names=NAMES).run(rows, workers=1)
    every = list(results)
    assert len(results) == len(every) and results[5] == every[5] and results[-1] == every[-1] and results[3:7] == every[3:7]
    assert results == every
    assert results.outcomes() == [r.outcome for r in every[: len(rows)]]
    linked = results.organization_ids({"matched", "gone"})
    assert linked == [r.organization_id if r.outcome in ("matched", "gone") else None for r in every[: len(rows)]]
    with pytest.raises(IndexError):
        results[len(every)]
    results[0].evidence["x"] = 1  # each row's evidence is its own
    assert "x" not in results[0].evidence


def test_a_failing_worker_fails_the_run(monkeypatch, small_chunks):
    """A row that fails in the forked child fails the run with the child's traceback; one that fails in this process
    (which takes counties from the same queue) fails it with its own error."""
    known, rows = generated()
    one = Matcher(known, region_code="3601", region_names=NAMES)
    here = os.getpid()

    def broken_in_the_child(number, values):
        if os.getpid() == here:
            time.sleep(0.01)  # the child surely gets counties of its own
            return one.__class__.match_row(one, number, values)
        raise ValueError("坏行")

    monkeypatch.setattr(one, "match_row", broken_in_the_child)
    with pytest.raises(RuntimeError, match="ValueError: 坏行"):
        one.run(rows, workers=2)

    other = Matcher(known, region_code="3601", region_names=NAMES)

    def broken(number, values):
        raise ValueError("坏行")

    monkeypatch.setattr(other, "match_row", broken)
    with pytest.raises((RuntimeError, ValueError), match="坏行"):
        other.run(rows, workers=2)


def test_the_forked_run_splits_the_counties_between_this_process_and_the_child(monkeypatch, small_chunks):
    known, rows = generated()
    one = Matcher(known, region_code="3601", region_names=NAMES)
    here = os.getpid()
    deciding = columnar.decide
    sent = []

    def decide(matcher, rows, positions, *, fast=True):
        if os.getpid() == here:
            time.sleep(0.05)
            sent.append(len(positions))
        return deciding(matcher, rows, positions, fast=fast)

    monkeypatch.setattr(columnar, "decide", decide)
    results = one.run(rows, workers=2)
    assert 0 < sum(sent) < len(rows)  # this process decided some rows, the child the rest
    assert table(results) == table(Matcher(known, region_code="3601", region_names=NAMES).run(rows, workers=1))


def test_an_empty_credit_code():
    assert normalize_credit_code("") == "" and normalize_credit_code(None) == "" and normalize_credit_code("  ") == ""
    assert normalize_credit_code(" ９１３６０１０２ma35l5xk4b ") == "91360102MA35L5XK4B"


def test_the_fast_path_gives_what_match_row_gives_on_the_labelled_set(small_chunks):
    """The bench's labelled registry (real Jiangxi counties, every variant class and distractor, region words with a
    mistyped character among them): the fast path and the forked workers decide every row as `match_row` does."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from registry_labels import build

    places, firms, outside, _truth, classes = build(2000, 4000, seed=3)
    rows = [{"row": n + 2, "values": values} for n, values in enumerate(outside)]
    assert {"prefix_typo_sound", "prefix_typo_shape", "code_typo_prefix_typo"} <= set(classes)
    known = [Known(f.id, f.credit_code, f.name, f.region_code, f.address, f.deregistered) for f in firms]
    region_names = places.region_names()

    def run(**options):
        return table(Matcher(known, region_code="36", region_names=region_names).run(rows, **options))

    reference = run(workers=1, fast=False)
    assert any("地区名有错字" in r[4] for r in reference)  # repaired region words are among the rows
    assert run(workers=1) == reference
    assert run(workers=2) == reference


def test_each_row_address_is_compared_as_written():
    """The row's address is normalized once for all its candidates: the next row's own address, or the same address
    under another county's normalizer, is normalized again."""
    one = Matcher([Known(1, "", "南昌鑫华快递有限公司", "360102", "东湖区人民路18号")], region_code="3601", region_names=NAMES)
    normalize = one.normalizers["360102"]
    name = normalize("南昌鑫华快递有限公司")
    at = {
        address: one.similar({"详细地址": address}, normalize, name, 0, 100.0, 0.0).place
        for address in ["人民路18号", "阳明路99号", "人民路18号"]
    }
    assert at == {"人民路18号": True, "阳明路99号": False}
    assert one.similar({"详细地址": "阳明路99号"}, normalize, name, 0, 100.0, 0.0).place is False
    other = one.normalizers["360103"]  # 南浦街道 is a township of 西湖区, not of 东湖区
    assert one._row_address(other, "南浦街道人民路18号") == "人民路18号"
    assert one._row_address(normalize, "南浦街道人民路18号") == "南浦街道人民路18号"


def test_collection_is_paused_while_the_rows_are_made_and_left_as_it_was():
    import gc

    assert gc.isenabled()
    with matcher.collection_paused():
        assert not gc.isenabled()
        with matcher.collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner pause does not turn it back on
    assert gc.isenabled()
    with pytest.raises(ValueError), matcher.collection_paused():
        raise ValueError
    assert gc.isenabled()


def test_evidence_in_another_key_order_is_one_entry():
    table = columnar._Table(columnar._evidence_key)
    assert table({"code": "absent", "name": "equal"}) == table({"name": "equal", "code": "absent"}) == 0
    assert table({"code": "absent", "name": "similar", "name_score": 91.0}) == 1
    assert table({"code": "absent", "name": "similar", "name_score": 92.0}) == 2


def test_equal_candidates_rank_the_same_whatever_order_their_set_gives(monkeypatch):
    """Candidates come as a set, whose order follows the hashing of the grams and so differs per process: two
    equally similar names must give the same choice in any order (before, 46 rows of a 1M × 1M run changed)."""
    names = [f"{brand}商贸有限公司" for brand in "甲乙丙丁戊己庚辛壬癸"]
    names[1], names[9] = "鑫华恒盛快运有限公司", "鑫华恒盛快送有限公司"  # 1 and 9 share a slot of a small set
    one = Matcher([Known(n, "", name, "360102") for n, name in enumerate(names)], region_code="3601", region_names=NAMES)
    one.index._ensure("360102")
    normalize = one.normalizers["360102"]
    name = normalize("鑫华恒盛快递有限公司")
    first_one, first_nine = {1}, {9}
    first_one.add(9)
    first_nine.add(1)
    assert list(first_one) != list(first_nine)  # the same set, iterated in another order
    chosen = []
    for found in (first_one, first_nine):
        monkeypatch.setattr(one.index, "candidates", lambda counties, name, found=found: set(found))
        c = one.best({}, ["360102"], normalize, name, [])
        chosen.append((c.index, c.score, c.runner_up))
    assert chosen[0] == chosen[1] and chosen[0][1] == chosen[0][2]  # a tie, decided the same way both times


def test_a_child_killed_while_holding_the_task_lock_fails_the_run_instead_of_hanging(monkeypatch, small_chunks):
    import signal

    known, rows = generated()
    monkeypatch.setattr(matcher._Tasks, "WAIT", 0.2)

    def killed_holding_the_lock(one, rows, tasks, todo, done, fast):
        todo.lock.acquire()
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(matcher, "_worker", killed_holding_the_lock)
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="比对进程意外退出"):
        Matcher(known, region_code="3601", region_names=NAMES).run(rows, workers=2)
    assert time.monotonic() - started < 30


def test_a_child_killed_in_the_middle_fails_the_run(monkeypatch, small_chunks):
    import signal

    known, rows = generated()
    one = Matcher(known, region_code="3601", region_names=NAMES)
    here = os.getpid()

    def killed_in_the_child(number, values):
        if os.getpid() != here:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.01)
        return Matcher.match_row(one, number, values)

    monkeypatch.setattr(one, "match_row", killed_in_the_child)
    with pytest.raises(RuntimeError, match="比对进程意外退出"):
        one.run(rows, workers=2)


def test_the_next_task_is_handed_out_once_and_then_none():
    import multiprocessing

    tasks = matcher._Tasks(multiprocessing.get_context("fork"), 3)
    assert [tasks.take(lambda: True) for _ in range(5)] == [0, 1, 2, None, None]


def _gone(pid: int) -> bool:
    """The process has exited (a zombie nobody reaped counts: PID 1 of a container may not reap)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return any(line.split()[1:2] == ["Z"] for line in status if line.startswith("State:"))
    except FileNotFoundError:
        return True


@pytest.mark.parametrize("kernel_help", [True, False], ids=["death-signal", "checked-per-county"])
def test_the_children_of_a_killed_job_stop_instead_of_living_on(monkeypatch, small_chunks, kernel_help):
    """The job process itself SIGKILLed mid-run: its forked children exit within seconds, by the kernel's parent-death
    signal or, without it, by their own check before each county, and do not wait for ever to send what nobody reads."""
    import multiprocessing
    import signal

    if not os.path.exists("/proc/self/status"):
        pytest.skip("/proc is needed to see the children")
    known, rows = generated()
    context = multiprocessing.get_context("fork")
    pids = context.SimpleQueue()
    if not kernel_help:
        monkeypatch.setattr(matcher, "_die_with_parent", lambda parent: None)
    working = matcher._worker

    def reporting_worker(*args):
        pids.put(os.getpid())
        working(*args)

    def job():
        one = Matcher(known, region_code="3601", region_names=NAMES)

        def slow(number, values):
            time.sleep(0.01)
            return Matcher.match_row(one, number, values)

        def small_tasks(rows, workers):  # a second's work each, a minute's in all
            return [piece for task in Matcher._tasks(one, rows, workers) for piece in np.array_split(task, -(-len(task) // 100))]

        one.match_row, one._tasks = slow, small_tasks
        monkeypatch.setattr(matcher, "_worker", reporting_worker)
        one.run(rows * 8, workers=3)

    process = context.Process(target=job)
    process.start()
    children = [pids.get(), pids.get()]
    time.sleep(0.5)
    assert not any(map(_gone, children))  # working
    os.kill(process.pid, signal.SIGKILL)
    process.join()
    deadline = time.monotonic() + 20
    while not all(map(_gone, children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    living = [pid for pid in children if not _gone(pid)]
    for pid in living:  # a failing run leaves no orphan holding the test run's output
        os.kill(pid, signal.SIGKILL)
    assert not living
