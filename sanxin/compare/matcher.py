"""Match outside registry rows against the platform's organizations of a region.

By credit code when both sides have one; otherwise by normalized name within the same county
(exact key, then rapidfuzz similarity), with the address as support. A branch never matches a
head office. Uncertain pairs go to review; deregistered-there rows mark the organization gone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from sanxin.compare.normalize import normalize_name, region_words
from sanxin.core.validators import normalize_credit_code
from sanxin.orgs.models import DEREGISTERED, Organization
from sanxin.regions.models import Region

AUTO_MATCH = 93.0  # name similarity at or above which a unique candidate is taken
REVIEW = 80.0  # below this the row is new
DEREGISTERED_LABELS = {"注销", "吊销", "迁出"}


@dataclass
class Result:
    row_number: int | None
    values: dict
    outcome: str
    organization_id: int | None = None
    score: float | None = None
    reason: str = ""


def words_for(region: Region) -> tuple[str, ...]:
    names = list(Region.objects.filter(code__in=[*region.ancestor_codes, region.code]).values_list("name", flat=True))
    county = region.code[:6] if len(region.code) >= 6 else region.code
    names += list(Region.objects.filter(code__startswith=county, level__lte=4).values_list("name", flat=True))
    return region_words(names)


def match(rows: list[dict], organizations: list[Organization], region: Region) -> list[Result]:
    words = words_for(region)
    by_code = {o.credit_code: o for o in organizations}
    blocks: dict[str, list[tuple[str, bool, Organization]]] = defaultdict(list)
    for org in organizations:
        name = normalize_name(org.name, words)
        blocks[org.region_id[:6]].append((name.key, name.is_branch, org))
    results: list[Result] = []
    matched_ids: set[int] = set()
    for row in rows:
        number, values = row["row"], row["values"]
        code = normalize_credit_code(values.get("统一社会信用代码", ""))
        gone_there = values.get("登记状态", "") in DEREGISTERED_LABELS
        if code and code in by_code:
            org = by_code[code]
            matched_ids.add(org.pk)
            results.append(
                Result(number, values, "matched", org.pk, 100.0, "统一社会信用代码一致" + ("；外部名录显示已注销" if gone_there else ""))
            )
            continue
        county = (values.get("所在地区代码") or region.code)[:6]
        block = blocks.get(county) or [item for key, items in blocks.items() if key.startswith(region.code[:6]) for item in items]
        name = normalize_name(values.get("单位名称", ""), words)
        candidates = [(key, org) for key, is_branch, org in block if is_branch == name.is_branch]
        exact = [org for key, org in candidates if key == name.key]
        if len(exact) == 1:
            matched_ids.add(exact[0].pk)
            results.append(Result(number, values, "matched", exact[0].pk, 100.0, "名称规范化后一致"))
            continue
        if len(exact) > 1:
            results.append(Result(number, values, "review", exact[0].pk, 100.0, f"名称一致的单位有 {len(exact)} 个，需人工确认"))
            continue
        best = process.extract(name.key, [key for key, _ in candidates], scorer=fuzz.ratio, limit=2) if candidates else []
        if not best or best[0][1] < REVIEW:
            results.append(Result(number, values, "new", None, round(best[0][1], 1) if best else None, "平台名录中没有相近的单位"))
            continue
        _key, score, index = best[0]
        org = candidates[index][1]
        address = fuzz.partial_ratio(values.get("详细地址", ""), org.address) if values.get("详细地址") and org.address else None
        runner_up = best[1][1] if len(best) > 1 else 0
        if score >= AUTO_MATCH and score - runner_up >= 5 and (address is None or address >= 60):
            matched_ids.add(org.pk)
            results.append(Result(number, values, "matched", org.pk, round(score, 1), "名称高度相似"))
        else:
            support = f"，地址相似度 {address:.0f}" if address is not None else ""
            results.append(Result(number, values, "review", org.pk, round(score, 1), f"名称相似度 {score:.0f}{support}，需人工确认"))
    for org in organizations:
        if org.pk not in matched_ids and org.registration_status not in DEREGISTERED:
            results.append(Result(None, {}, "gone", org.pk, None, "外部名录中没有这个单位"))
    for result in [r for r in results if r.outcome == "matched" and r.values.get("登记状态") in DEREGISTERED_LABELS]:
        results.append(Result(None, {}, "gone", result.organization_id, None, f"外部名录显示已{result.values['登记状态']}"))
    return results
