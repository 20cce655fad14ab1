"""Text as people type it: one place that folds full-width input and finds invisible control characters.

Chinese input methods switch to full-width forms easily: ９１３６…, Ａ, １，２００, ２０２０－０５－０１ and the ideographic
space. Wherever a code, a number or a date is expected (imports, the comparison, forms, search boxes, API query
parameters), `half_width` turns them into their ASCII forms before any check, so every way in agrees. Names and
addresses are not folded: a firm's registered name keeps its full-width brackets.
"""

from __future__ import annotations

import re

# The full-width forms of ASCII (U+FF01–U+FF5E: digits, letters, punctuation) and the ideographic space.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# What PostgreSQL cannot store (NUL) or a page and an xlsx file cannot show: the C0 controls other than tab, line
# feed and carriage return, DEL, the C1 controls, the two non-characters XML refuses, and lone surrogates.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_NAMES = {0x00: "NUL", 0x1B: "ESC", 0x7F: "DEL"}


XLS = "不支持 .xls（Excel 97-2003）格式，请在 Excel 中另存为 .xlsx"  # said by the upload check and the reader alike


def half_width(text: str) -> str:
    """Full-width digits, letters, punctuation and the ideographic space as ASCII; everything else unchanged."""
    return text.translate(_HALF_WIDTH) if text else text


def normalize_code(text: str | None) -> str:
    """A code as typed (credit code, region code, numbers in a search box): half-width, stripped."""
    return half_width(text or "").strip()


def control_character(text: str) -> str | None:
    """The name of the first control character in `text` (NUL, ESC, U+0002 …), or None."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    code = ord(found.group())
    return _NAMES.get(code, f"U+{code:04X}")


def control_character_reason(name: str) -> str:
    return f"含有不可见的控制字符（{name}），请删除后重新填写"


def visible(text: str) -> str:
    """`text` safe to store and show: each control character replaced by its visible symbol (␀, ␛ …) or �."""
    if not CONTROL_CHARACTERS.search(text):
        return text
    return CONTROL_CHARACTERS.sub(_symbol, text)


def _symbol(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␁ … ␟
    return "\u2421" if code == 0x7F else "\ufffd"
