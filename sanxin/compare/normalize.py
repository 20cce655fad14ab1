"""Normalized Chinese organization names for matching.

    顺丰速运（南昌）有限公司              → 顺丰速运
    江西省南昌市顺丰速运有限责任公司      → 顺丰速运
    顺丰速运（南昌）有限公司东湖分公司    → 顺丰速运东湖   (branch)
    顺丰速运有限公司南昌东湖分公司        → 顺丰速运东湖   (branch)

Full-width → half-width (NFKC), brackets unified, the names of the firm's own province, city
and county dropped where they stand at the start, at the start of a branch's own part, or
alone in brackets; legal-form suffixes
dropped; a branch suffix dropped but remembered, so a branch never equals its head office.

A region word written with one wrong character is dropped too (江酉省南唱市顺丰速运 → 顺丰速运):
a word of three characters or more with any one character replaced, a two-character short
form only with a character that sounds the same (南唱 for 南昌, never 南京), and only where
what follows still reads as a name (not 路, 街…, and at least two characters).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import Style, pinyin

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
# Characters written for a region suffix because they look like it (a sound-alike is taken anyway).
SUFFIX_LOOKALIKES = {"市": "币布帀", "省": "劣肖少雀", "区": "匹巨医", "县": "具且", "镇": "填", "乡": "多"}
_NOT_A_NAME_START = frozenset("路街巷道弄号")  # a road follows: 南京路 is an address, not a misspelt 南昌
_BRACKETS_AND_SPACES = str.maketrans(
    {**dict.fromkeys("[【〔{", "("), **dict.fromkeys("]】〕}", ")"), **dict.fromkeys(" \t\r\n\u3000", None), "巿": "市"}
)


@dataclass(frozen=True, slots=True)
class NormalizedName:
    key: str
    is_branch: bool
    repaired: bool = field(default=False, compare=False)  # a region word one character off was dropped


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


def unify(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return text.translate(_BRACKETS_AND_SPACES) if _TO_UNIFY.search(text) else text  # a search is 8× cheaper


def names_a_branch(name: str) -> bool:
    """Whether a firm name is a branch's (顺丰速运有限公司东湖分公司): its place words are often its head office's."""
    return unify(name).endswith(_BRANCH_ENDINGS)


@lru_cache(maxsize=65536)
def readings(character: str) -> frozenset[str]:
    """The toneless readings of a character (行 → xing, hang, heng); a non-Chinese character is its own."""
    return frozenset(pinyin(character, style=Style.NORMAL, heteronym=True, errors=lambda c: [c])[0])


def sound_alike(a: str, b: str) -> bool:
    """Two characters that share a reading: what a pinyin input method mistypes (源/元, 南唱/南昌)."""
    return a == b or bool(readings(a) & readings(b))


def sounds_the_same(a: str, b: str) -> bool:
    """Two texts of one length, different, whose differing characters (one or two) each sound alike."""
    if len(a) != len(b) or a == b:
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differing) <= 2 and all(sound_alike(x, y) for x, y in differing)


def _one_off(text: str, word: str) -> bool:
    """`text` starts with `word` but for one character: any character in a long word, a sound-alike in a short one."""
    length = len(word)
    if len(text) < length:
        return False
    at = 0  # the first differing place; the rest must agree
    while at < length and text[at] == word[at]:
        at += 1
    if at == length or text[at + 1 : length] != word[at + 1 :]:
        return False
    if length >= 3 and at != length - 1:
        return True  # the suffix (省, 市, 区, 县) stands: any one character before it may be mistyped
    typed, meant = text[at], word[at]
    return sound_alike(typed, meant) or typed in SUFFIX_LOOKALIKES.get(meant, "")


class Prefixes:
    """Region words that may stand at the start of a text, stripped longest first; one mistyped character tolerated."""

    def __init__(self, names: Iterable[str]):
        self.words = region_words(names)
        # Words by their first two characters, longest first: most texts start with none, one lookup settles it.
        self.by_head: dict[str, list[str]] = {}
        for word in sorted(self.words, key=len, reverse=True):
            self.by_head.setdefault(word[:2], []).append(word)
        self.longest_first = sorted(self.words, key=len, reverse=True)
        # A word one character off agrees with the text in its first or its second character: two lookups, no scan.
        self.by_first: dict[str, list[str]] = defaultdict(list)
        self.by_second: dict[str, list[str]] = defaultdict(list)
        for word in self.longest_first:
            self.by_first[word[0]].append(word)
            if len(word) > 1:
                self.by_second[word[1]].append(word)

    def _exact(self, text: str) -> str | None:
        words = self.by_head.get(text[:2])
        if words:
            for word in words:
                if len(text) > len(word) + 1 and text.startswith(word):
                    return word
        return None

    def _fuzzy(self, text: str, longer_than: int = 0) -> str | None:
        """The region word the text starts with but for one character, if what follows still reads as a name."""
        found = None
        for words in (self.by_first.get(text[:1]), self.by_second.get(text[1:2])):
            if not words:
                continue
            for word in words:
                length = len(word)
                if length <= longer_than or (found and length <= len(found)):
                    break  # longest first
                if length + 2 <= len(text) and text[length] not in _NOT_A_NAME_START and _one_off(text, word):
                    found = text[:length]  # what follows still reads as a name
                    break
        return found

    def strip(self, text: str) -> str:
        return self.strip_marked(text)[0]

    def strip_marked(self, text: str) -> tuple[str, bool]:
        """Drop region words at the start, always keeping at least two characters; and whether a word one character
        off was among them. Such a word goes before a shorter exact one (江西劣赣州 → 赣州: the 省 mistyped, not 江西
        and then 劣)."""
        repaired = False
        while True:
            exact = self._exact(text)
            word = self._fuzzy(text, len(exact) if exact else 0)
            if word and exact and not self._settled(word, text[len(word) :]):
                word = None  # 江西兴晟: a brand that starts with 兴 after 江西, not 江西省 misheard
            repaired = repaired or bool(word)
            word = word or exact
            if word is None:
                return text, repaired
            text = text[len(word) :]

    def _settled(self, word: str, rest: str) -> bool:
        """A word one character off goes before a shorter exact word only when its last character looks like the
        suffix it stands for, or another region word follows it."""
        meant = next((w for w in self.longest_first if len(w) == len(word) and _one_off(word, w)), "")
        return (meant and word[-1] in SUFFIX_LOOKALIKES.get(meant[-1], "")) or self._exact(rest) is not None

    def only_places(self, text: str, *, exact: bool = False) -> bool:
        """The text is region words and nothing else (南昌东湖, 南唱): a bracket that only says where the firm is."""
        if text in self.words:
            return True
        while text:
            word = next((w for w in self.longest_first if text.startswith(w)), None)
            if word is None and exact:
                return False
            if word is None and len(text) >= 3:
                word = next((text[: len(w)] for w in self.longest_first if len(w) >= 2 and _one_off(text, w)), None)
            elif word is None:
                word = next((text for w in self.longest_first if len(w) == len(text) and _one_off(text, w)), None)
            if word is None:
                return False
            text = text[len(word) :]
        return True


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
        self._addresses: dict[str, str] = {}

    def __call__(self, name: str) -> NormalizedName:
        cached = self._cache.get(name)
        if cached is None:
            cached = self._cache[name] = self._normalize(name)
        return cached

    def address(self, text: str) -> str:
        """The street and number: 南昌市东湖区滕王阁街道中山路１２８号 → 中山路128号."""
        cached = self._addresses.get(text)
        if cached is None:
            cached = self._addresses[text] = self.address_prefixes.strip(unify(text))
        return cached

    def _normalize(self, name: str) -> NormalizedName:
        text = unify(name)
        bracket_repaired = False
        if "(" in text:

            def place_only(match: re.Match) -> str:
                nonlocal bracket_repaired
                inside = match.group(1)
                if not inside or inside in self.words:
                    return ""
                if self.prefixes.only_places(inside):
                    bracket_repaired = bracket_repaired or not self.prefixes.only_places(inside, exact=True)
                    return ""
                return match.group(0)

            text = _BRACKETED.sub(place_only, text)
        text, repaired = self.prefixes.strip_marked(text)
        repaired = repaired or bracket_repaired
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
        return NormalizedName(text.replace("(", "").replace(")", ""), is_branch, repaired)
