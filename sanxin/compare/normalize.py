"""Normalized Chinese organization names for matching.

    顺丰速运（南昌）有限公司          → 顺丰速运
    江西省南昌市顺丰速运有限责任公司  → 顺丰速运
    顺丰速运（南昌）有限公司东湖分公司 → 顺丰速运东湖   (branch)

Full-width → half-width (NFKC), brackets unified, region names dropped where they stand
at the start or alone in brackets, legal-form suffixes dropped, a branch suffix dropped but
remembered, so a branch never equals its head office.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

LEGAL_FORMS = sorted(
    [
        "集团股份有限公司",
        "集团有限责任公司",
        "集团有限公司",
        "股份有限公司",
        "有限责任公司",
        "有限公司",
        "普通合伙",
        "有限合伙",
        "特殊普通合伙",
        "合伙企业",
        "个人独资企业",
        "股份合作制",
        "集团公司",
        "公司",
    ],
    key=len,
    reverse=True,
)
BRANCH_SUFFIXES = sorted(
    ["分公司", "营业部", "营业点", "站点", "网点", "门店", "分店", "服务站", "配送站", "分部", "办事处", "分所", "分理处", "经营部"],
    key=len,
    reverse=True,
)
REGION_SUFFIXES = ("特别行政区", "自治州", "自治县", "自治区", "地区", "新区", "省", "市", "区", "县", "镇", "乡", "街道")


@dataclass(frozen=True)
class NormalizedName:
    key: str
    is_branch: bool


def region_words(names: list[str]) -> tuple[str, ...]:
    """Region names and their short forms (南昌市 → 南昌), longest first."""
    words = set()
    for name in names:
        words.add(name)
        for suffix in REGION_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                words.add(name[: -len(suffix)])
                break
    return tuple(sorted(words, key=len, reverse=True))


def _unify(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"[\[【〔{]", "(", text)
    return re.sub(r"[\]】〕}]", ")", text)


@lru_cache(maxsize=200_000)
def normalize_name(name: str, words: tuple[str, ...] = ()) -> NormalizedName:
    text = _unify(name)
    # A region alone in brackets: 顺丰速运(南昌)有限公司
    text = re.sub(r"\(([^()]*)\)", lambda m: "" if m.group(1) in words or not m.group(1) else m.group(0), text)
    changed = True
    while changed:  # region words at the start: 江西省南昌市…
        changed = False
        for word in words:
            if text.startswith(word) and len(text) > len(word) + 1:
                text = text[len(word) :]
                changed = True
                break
    is_branch = False
    for suffix in BRANCH_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text, is_branch = text[: -len(suffix)], True
            break
    for form in LEGAL_FORMS:
        text = text.replace(form, "") if len(text) > len(form) else text
    text = text.replace("(", "").replace(")", "")
    return NormalizedName(text, is_branch)
