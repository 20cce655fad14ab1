"""Normalized Chinese organization names for matching.

    顺丰速运（南昌）有限公司              → 顺丰速运
    江西省南昌市顺丰速运有限责任公司      → 顺丰速运
    顺丰速运（南昌）有限公司东湖分公司    → 顺丰速运东湖   (branch)
    顺丰速运有限公司南昌东湖分公司        → 顺丰速运东湖   (branch)

Full-width → half-width (NFKC), brackets unified, the names of the firm's own province, city
and county dropped where they stand at the start, at the start of a branch's own part, or
alone in brackets; legal-form suffixes
dropped; a branch suffix dropped but remembered, so a branch never equals its head office.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

LEGAL_FORMS = [
    "集团股份有限公司",
    "集团有限责任公司",
    "集团有限公司",
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "特殊普通合伙",
    "普通合伙",
    "有限合伙",
    "合伙企业",
    "个人独资企业",
    "股份合作制",
    "集团公司",
    "公司",
]
BRANCH_SUFFIXES = sorted(
    ["分公司", "营业部", "营业点", "站点", "网点", "门店", "分店", "服务站", "配送站", "分部", "办事处", "分所", "分理处", "经营部"],
    key=len,
    reverse=True,
)
_BRANCH_ENDINGS = tuple(BRANCH_SUFFIXES)
REGION_SUFFIXES = ("特别行政区", "自治州", "自治县", "自治区", "地区", "新区", "省", "市", "区", "县", "镇", "乡", "街道")

_LEGAL_FORM = re.compile("|".join(sorted(LEGAL_FORMS, key=len, reverse=True)))
_BRACKETED = re.compile(r"\(([^()]*)\)")
_BRACKETS_AND_SPACES = str.maketrans(
    {**dict.fromkeys("[【〔{", "("), **dict.fromkeys("]】〕}", ")"), **dict.fromkeys(" \t\r\n\u3000", None)}
)


@dataclass(frozen=True, slots=True)
class NormalizedName:
    key: str
    is_branch: bool


def region_words(names: Iterable[str]) -> frozenset[str]:
    """Region names and their short forms (南昌市 → 南昌)."""
    words = set()
    for name in names:
        words.add(name)
        for suffix in REGION_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                words.add(name[: -len(suffix)])
                break
    return frozenset(words)


_TO_UNIFY = re.compile("[" + re.escape("".join(map(chr, _BRACKETS_AND_SPACES))) + "]")


def _unify(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return text.translate(_BRACKETS_AND_SPACES) if _TO_UNIFY.search(text) else text  # a search is 8× cheaper


class Prefixes:
    """Region words that may stand at the start of a text, stripped longest first."""

    def __init__(self, names: Iterable[str]):
        self.words = region_words(names)
        # Words by their first two characters, longest first: most texts start with none, one lookup settles it.
        self.by_head: dict[str, list[str]] = {}
        for word in sorted(self.words, key=len, reverse=True):
            self.by_head.setdefault(word[:2], []).append(word)

    def strip(self, text: str) -> str:
        """Drop region words at the start, always keeping at least two characters."""
        by_head = self.by_head
        while words := by_head.get(text[:2]):
            for word in words:  # a loop, not next(generator): three times quicker, run for every name and address
                if len(text) > len(word) + 1 and text.startswith(word):
                    text = text[len(word) :]
                    break
            else:
                break
        return text


class NameNormalizer:
    """Normalizes the names and addresses of one place, cached per text.

    `region_names` are the names a firm of the place may carry as its legal prefix (its province,
    city and county); `place_names` add the townships an address may name. A brand that merely
    shares a township's name (金龙, 青龙) keeps it.
    """

    def __init__(self, region_names: Iterable[str], place_names: Iterable[str] = ()):
        region_names = list(region_names)
        self.prefixes = Prefixes(region_names)
        self.words = self.prefixes.words
        self.address_prefixes = Prefixes([*region_names, *place_names])
        self._cache: dict[str, NormalizedName] = {}

    def __call__(self, name: str) -> NormalizedName:
        cached = self._cache.get(name)
        if cached is None:
            cached = self._cache[name] = self._normalize(name)
        return cached

    def address(self, text: str) -> str:
        """The street and number: 南昌市东湖区滕王阁街道中山路１２８号 → 中山路128号."""
        return self.address_prefixes.strip(_unify(text))

    def _normalize(self, name: str) -> NormalizedName:
        text = _unify(name)
        if "(" in text:
            text = _BRACKETED.sub(lambda m: "" if not m.group(1) or m.group(1) in self.words else m.group(0), text)
        text = self.prefixes.strip(text)
        is_branch = False
        if text.endswith(_BRANCH_ENDINGS):
            for suffix in BRANCH_SUFFIXES:
                if text.endswith(suffix) and len(text) > len(suffix):
                    text, is_branch = text[: -len(suffix)], True
                    break
        if is_branch:  # 有限公司南昌东湖(分公司): the branch's own part loses its leading region words too
            forms = list(_LEGAL_FORM.finditer(text))
            if forms:
                end = forms[-1].end()
                text = text[:end] + self.prefixes.strip(text[end:])
        without_forms = _LEGAL_FORM.sub("", text)
        text = without_forms or text
        return NormalizedName(text.replace("(", "").replace(")", ""), is_branch)
