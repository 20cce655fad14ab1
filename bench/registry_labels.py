"""A labelled outside registry of the project's own, on the real counties of Jiangxi, with every variant class named.

    .venv/bin/python bench/registry_labels.py --orgs 50000 --rows 250000 --seed 11         # ours and Splink, per class
    .venv/bin/python bench/registry_labels.py --orgs 200000 --rows 1000000 --seed 11

The platform side is compare_bench.py's registry (firms, branches, social organizations on real communities, valid
credit codes). Each outside row is either a platform organization written as another office writes it, under one named
variant class (the truth is its organization), or a distractor: a firm that is not on the platform but looks like one
(the truth is "none"). bench/compare_calibrate.py fits the matcher's thresholds on one seed (7); every other seed is
unseen data for them.

Scores: precision, recall and F1 over the automatic decisions (a row left for review counts as not linked); the share
of rows left for review apart; recall per variant class and the share of distractors kept apart per distractor class,
for ours and for Splink on the same rows in the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_bench import BRAND_CHARS, FIRM_LINES, LOOKALIKE, Firm, Generator, Places, run_ours, run_splink, scores

# What an office does to a firm's name and address; each outside row of a platform organization carries one class.
VARIANTS = {
    "code_exact": "信用代码一致（名称照录）",
    "prefix_swap": "地区前缀增删或改写（江西省/南昌市/南昌/区县）",
    "prefix_typo_sound": "地区前缀中一个同音错字（南唱市）",
    "prefix_typo_shape": "地区前缀中一个形近错字（江酉省、南昌巿）",
    "county_missing": "区县名缺失（南昌市东湖区 → 南昌市）",
    "county_extra": "多写了区县名（南昌 → 南昌东湖）",
    "county_in_brackets": "地区写在括号里（顺丰速运（南昌东湖）有限公司）",
    "brackets_width": "全角/半角括号、方括号",
    "legal_form": "有限公司 ↔ 有限责任公司",
    "spaces": "名称中多了空格",
    "brand_sound": "字号中一个同音错字，地址相同",
    "brand_sound_no_address": "字号中一个同音错字，没有地址",
    "branch_form": "分支机构名称写法不同（有限公司南昌东湖分公司）",
    "address_no_street": "地址不写街道（乡镇）",
    "address_full_width": "地址门牌号全角",
    "no_address": "没有地址",
    "code_typo": "信用代码区县位错一位（校验位仍正确），名称地址一致",
    "code_typo_prefix_typo": "信用代码错一位且地区前缀有错字",
}
DISTRACTORS = {
    "new_firm": "平台中没有的新单位",
    "lookalike_elsewhere": "字号一字同音之差的另一单位，在另一地址",
    "sister_one_char": "同一地址的姊妹单位，字号一字之差",
    "sister_other_line": "同一地址的姊妹单位，行业不同",
    # half of the sisters with a credit code have the next code of their sister (registered the same day)
    "same_name_other_county": "同名单位在另一区县",
}
SHAPE_ALIKE = {"西": "酉", "昌": "冒", "江": "汪", "市": "巿", "省": "劣", "南": "喃", "州": "川", "安": "按", "湖": "胡", "山": "出"}
SOUND_POOL = (
    "南喃难楠唱常长厂场昌倡畅尝肠江疆姜将浆讲西希溪夕息惜析锡熙吸东冬懂洞动湖胡壶狐葫糊虎互户护赣干甘杆肝感九久酒就旧救"
    "吉及急级极集即几己记纪技季际继既济景京经精井警静境竟净庆青清轻请情晴新心信辛欣星行形型兴幸性姓安按案暗岸"
    "丰风封峰锋疯缝凤奉余鱼于渔娱愉宇雨语玉遇育狱浴域州周洲舟粥轴宙昼皱宁凝拧柠上尚赏伤商裳抚府斧俯腐付附富负妇"
    "宜仪移疑遗已以蚁椅义议易益亿艺忆萍平评凭瓶屏乐勒鹰英婴应营赢影映硬饶绕扰万晚碗湾弯玩完丸吉德得都读独度渡"
    "高告稿搞膏糕武五午舞伍务物误悟雾修休秀袖宿锈县现线限献宪陷馅区曲趋屈取去趣"
)


class Labels(Generator):
    """Outside rows with their truth and their class."""

    def __init__(self, places: Places, seed: int):
        super().__init__(places, seed)
        self.sounds: dict[str, list[str]] = defaultdict(list)
        from sanxin.compare.normalize import readings

        for ch in set(SOUND_POOL + BRAND_CHARS):
            for reading in readings(ch):
                self.sounds[reading].append(ch)
        for chars in self.sounds.values():
            chars.sort()

    def sound_alike(self, ch: str) -> str | None:
        from sanxin.compare.normalize import readings

        choices = sorted({c for r in readings(ch) for c in self.sounds.get(r, ()) if c != ch})
        return self.rng.choice(choices) if choices else None

    def not_sound_alike(self, ch: str) -> str:
        from sanxin.compare.normalize import sound_alike

        while True:
            other = self.rng.choice(BRAND_CHARS)
            if other != ch and not sound_alike(other, ch):
                return other

    # Prefixes the platform name may carry, longest first, to find where its own part starts.
    def split_prefix(self, name: str, county: str) -> tuple[str, str]:
        names = self.places.names
        words = [names[county[:4]], names[county], "江西省", self.places.short(county[:4]), self.places.short(county), "江西"]
        prefix = ""
        progress = True
        while progress:
            progress = False
            for word in sorted(words, key=len, reverse=True):
                if name.startswith(word) and len(name) > len(word) + 2:
                    prefix, name, progress = prefix + word, name[len(word) :], True
                    break
        return prefix, name

    def typo_in(self, word: str, *, shape: bool) -> str:
        positions = list(range(len(word)))
        self.rng.shuffle(positions)
        for i in positions:
            ch = word[i]
            other = SHAPE_ALIKE.get(ch) if shape else self.sound_alike(ch)
            if other and (shape or len(word) >= 3 or i < len(word)):
                return word[:i] + other + word[i + 1 :]
        return word

    def mistyped_code(self, code: str) -> str:
        from stdnum.cn import uscc

        i = self.rng.randrange(4, 8)  # the county's digits
        digit = self.rng.choice([d for d in "0123456789" if d != code[i]])
        body = code[:i] + digit + code[i + 1 : 17]
        return body + uscc.calc_check_digit(body)

    def next_code(self, code: str) -> str:
        """The code a firm registered right after this one gets: its serial one or two up, a valid check character."""
        from stdnum.cn import uscc

        body = code[:8] + f"{int(code[8:17]) + self.rng.randint(1, 2):09d}"[-9:]
        return body + uscc.calc_check_digit(body)

    def street_dropped(self, address: str, community: str) -> str:
        return address.replace(self.places.names[community[:9]], "", 1)

    def variant_of(self, firm: Firm, kind: str) -> tuple[str, str, str]:
        """(name, address, credit code) of the firm as written under `kind`."""
        rng, names, county = self.rng, self.places.names, firm.region_code[:6]
        name, address, code = firm.name, firm.address, ""
        prefix, rest = self.split_prefix(name, county)
        city, city_short, county_short = names[county[:4]], self.places.short(county[:4]), self.places.short(county)
        if kind == "code_exact":
            code = firm.credit_code
        elif kind == "prefix_swap":
            name = rng.choice(["", "江西省", "江西", city, city_short, city + names[county], "江西省" + city]) + rest
        elif kind in ("prefix_typo_sound", "prefix_typo_shape"):
            shape = kind == "prefix_typo_shape"
            written = (
                rng.choice([city, "江西省" + city, city_short, "江西省"]) if not shape else rng.choice([city, "江西省", "江西省" + city])
            )
            parts = [written[:3], written[3:]] if written.startswith("江西省") and len(written) > 3 else [written]
            j = rng.randrange(len(parts))
            parts[j] = self.typo_in(parts[j], shape=shape)
            name = "".join(parts) + rest
        elif kind == "county_missing":
            name = city + rest
        elif kind == "county_extra":
            name = city_short + county_short + rest
        elif kind == "county_in_brackets":
            form = next((f for f in ("股份有限公司", "有限责任公司", "有限公司") if rest.endswith(f)), None)
            if form:
                name = f"{rest[: -len(form)]}（{city_short}{county_short}）{form}"
        elif kind == "brackets_width":
            name = name.replace("（", "(").replace("）", ")") if "（" in name else f"{prefix}{rest}"
            if "（" not in firm.name:
                form = next((f for f in ("股份有限公司", "有限责任公司", "有限公司") if rest.endswith(f)), None)
                if form:
                    opening, closing = rng.choice([("(", ")"), ("【", "】"), ("（", "）")])
                    name = f"{rest[: -len(form)]}{opening}{city_short}{closing}{form}"
        elif kind == "legal_form":
            if "有限责任公司" in name:
                name = name.replace("有限责任公司", "有限公司")
            elif "股份有限公司" not in name:
                name = name.replace("有限公司", "有限责任公司", 1)
        elif kind == "spaces":
            position = rng.randrange(1, len(name))
            name = name[:position] + rng.choice([" ", "　", "  "]) + name[position:]
        elif kind in ("brand_sound", "brand_sound_no_address"):
            positions = [i for i, ch in enumerate(rest[:4]) if ch in BRAND_CHARS and self.sound_alike(ch)]
            if positions:
                i = rng.choice(positions)
                rest = rest[:i] + self.sound_alike(rest[i]) + rest[i + 1 :]
            name = prefix + rest
            if kind == "brand_sound_no_address":
                address = ""
        elif kind == "branch_form":
            if "有限公司" in name and name.endswith(("分公司", "营业部", "服务站")):
                head, own = name.split("有限公司", 1)
                name = f"{head}有限公司{city_short}{own}"
        elif kind == "address_no_street":
            address = self.street_dropped(address, firm.region_code)
        elif kind == "address_full_width":
            address = address.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        elif kind == "no_address":
            address = ""
        elif kind == "code_typo":
            code = self.mistyped_code(firm.credit_code)
        elif kind == "code_typo_prefix_typo":
            code = self.mistyped_code(firm.credit_code)
            name = self.typo_in(city, shape=False) + rest
        return name, address, code

    def labelled(self, firms: list[Firm], count: int, *, listed: float = 0.75, with_code: float = 0.5):
        """Rows, truth (organization id or None) and class of each row."""
        rng = self.rng
        kinds = [k for k in VARIANTS if k != "code_exact"]
        rows, truth, classes = [], [], []
        for firm in firms:
            if rng.random() >= listed or len(rows) >= count:
                continue
            county = firm.region_code[:6]
            kind = "code_exact" if rng.random() < with_code * 0.8 else rng.choice(kinds)
            name, address, code = self.variant_of(firm, kind)
            if kind not in ("code_exact", "code_typo", "code_typo_prefix_typo") and rng.random() < 0.5 * with_code:
                code = firm.credit_code  # a code and a name variant: the code decides
                kind = "code_exact"
            if kind.startswith("address") or kind == "no_address" or kind.startswith("brand_sound"):
                pass
            elif rng.random() < 0.3:
                address = address.replace(self.places.names[county[:4]], "", 1)
            status = "注销" if firm.deregistered or rng.random() < 0.02 else "存续"
            region = firm.region_code if rng.random() < 0.6 else county
            rows.append({"统一社会信用代码": code, "单位名称": name, "所在地区代码": region, "详细地址": address, "登记状态": status})
            truth.append(firm.id)
            classes.append(kind)
        from sanxin.compare.matcher import Normalizers

        normalizers = Normalizers(self.places.region_names())
        by_county: dict[str, list[Firm]] = defaultdict(list)
        keys: dict[str, set[str]] = defaultdict(set)  # the platform's normalized names per county: a distractor is none of them
        for firm in firms:
            by_county[firm.region_code[:6]].append(firm)
            keys[firm.region_code[:6]].add(normalizers[firm.region_code[:6]](firm.name).key)
        codes = {firm.credit_code for firm in firms}
        counties = [c for c in self.places.counties if by_county[c]]
        weights = {"new_firm": 50, "lookalike_elsewhere": 15, "sister_one_char": 15, "sister_other_line": 10, "same_name_other_county": 10}
        while len(rows) < count:
            county = rng.choice(counties)
            kind = rng.choices(list(weights), list(weights.values()))[0]
            community = rng.choice(self.places.communities_of(county))
            name, address = None, self.address(community)
            near = rng.choice(by_county[county])
            heads = not near.name.endswith(("分公司", "营业部", "服务站"))
            prefix, rest = self.split_prefix(near.name, county)
            if kind == "lookalike_elsewhere" and heads:
                positions = [i for i, ch in enumerate(rest[:4]) if ch in BRAND_CHARS and self.sound_alike(ch)]
                if positions:
                    i = rng.choice(positions)
                    name = prefix + rest[:i] + (LOOKALIKE.get(rest[i]) or self.sound_alike(rest[i])) + rest[i + 1 :]
            elif kind == "sister_one_char" and heads:
                positions = [i for i, ch in enumerate(rest[:4]) if ch in BRAND_CHARS]
                if positions:
                    i = rng.choice(positions)
                    name = prefix + rest[:i] + self.not_sound_alike(rest[i]) + rest[i + 1 :]
                    address, community = near.address, near.region_code
            elif kind == "sister_other_line" and heads:
                line = next((line for line, _, _ in FIRM_LINES if line in rest), None)
                if line:
                    other = rng.choice([o for o, _, _ in FIRM_LINES if o != line and line not in o and o not in line])
                    name, address, community = prefix + rest.replace(line, other, 1), near.address, near.region_code
            elif kind == "same_name_other_county":
                other_county = rng.choice(counties)
                if other_county != county and not any(f.name == near.name for f in by_county[other_county]):
                    community = rng.choice(self.places.communities_of(other_county))
                    name, address = rest, self.address(community)
            if name is None or normalizers[community[:6]](name).key in keys[community[:6]]:
                kind, (name, _, _) = "new_firm", self.firm_name(community[:6])
            code = self.credit_code(community[:6]) if rng.random() < with_code else ""
            if code and kind.startswith("sister") and rng.random() < 0.5:  # registered with it the same day: the next code
                code = self.next_code(near.credit_code)
                if code in codes:
                    code = self.credit_code(community[:6])
            rows.append({"统一社会信用代码": code, "单位名称": name, "所在地区代码": community, "详细地址": address, "登记状态": "存续"})
            truth.append(None)
            classes.append(kind)
        order = list(range(len(rows)))
        rng.shuffle(order)
        return [rows[i] for i in order], [truth[i] for i in order], [classes[i] for i in order]


def build(orgs: int, rows: int, seed: int):
    places = Places()
    labels = Labels(places, seed)
    firms = labels.platform(orgs)
    outside, truth, classes = labels.labelled(firms, rows)
    return places, firms, outside, truth, classes


def per_class(predicted, truth, classes) -> dict[str, tuple[int, float]]:
    """Per class: (rows, recall) for variant classes; (rows, share kept apart) for distractor classes."""
    total, right = Counter(), Counter()
    for p, t, c in zip(predicted, truth, classes, strict=True):
        total[c] += 1
        right[c] += (p == t) if t is not None else (p is None)
    return {c: (total[c], right[c] / total[c]) for c in total}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=50_000)
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--seed", type=int, default=11, help="7 is the calibration seed; any other is unseen data")
    parser.add_argument("--no-splink", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    started = time.perf_counter()
    places, firms, rows, truth, classes = build(args.orgs, args.rows, args.seed)
    print(
        f"标注数据（种子 {args.seed}）：平台 {len(firms):,} 个组织，外部名录 {len(rows):,} 行；生成 {time.perf_counter() - started:.0f} 秒"
    )
    results = {}
    seconds, predicted, review, usage = run_ours(firms, rows, places)
    print(f"本平台 CPU 时间（各进程之和）{usage.cpu:.1f} 秒；内存峰值（各进程 PSS 之和）{usage.peak / 2**30:.1f} GB")
    results["本平台"] = (seconds, predicted, sum(1 for r in review if r is not None))
    if not args.no_splink:
        splink_seconds, splink_predicted = run_splink(firms, rows, places)
        results["Splink"] = (splink_seconds, splink_predicted, 0)
    for label, (secs, pred, queued) in results.items():
        s = scores(pred, truth)
        print(
            f"{label}：{secs:.1f} 秒；精确率 {s['precision']:.4f} 召回率 {s['recall']:.4f} F1 {s['f1']:.4f}"
            f"（误连 {s['fp']:,}，漏连 {s['fn']:,}）；待核实 {queued:,} 行（{queued / len(rows):.2%}）"
        )
    tables = {label: per_class(pred, truth, classes) for label, (_, pred, _) in results.items()}
    print("\n| 类别 | 行数 | " + " | ".join(tables) + " |")
    print("|---|---|" + "---|" * len(tables))
    for kind, text in [*VARIANTS.items(), *DISTRACTORS.items()]:
        first = next(iter(tables.values()))
        if kind not in first:
            continue
        cells = " | ".join(f"{table[kind][1]:.4f}" for table in tables.values())
        measure = "召回率" if kind in VARIANTS else "正确未连"
        print(f"| {kind}：{text}（{measure}） | {first[kind][0]:,} | {cells} |")
    if "Splink" in results:
        print(f"\n速度：本平台为 Splink 的 {results['Splink'][0] / results['本平台'][0]:.1f} 倍")


if __name__ == "__main__":
    main()
