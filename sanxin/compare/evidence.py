"""Evidence per pair: whether the credit code, the name and the address agree, kept on each result row.

    {"code": "equal" | "differs" | "absent",
     "name": "equal" | "similar" | "differs", "name_score": 0–100,
     "address": "same" | "differs" | "unsure" | "absent"}

A row decided by an equal credit code keeps {"code": "equal"} only (the matcher does not look further at it);
the result page completes such rows for the rows it shows (`complete`).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from sanxin.compare import thresholds

CODE = {"equal": "代码一致", "differs": "代码不同", "absent": "无代码"}
NAME = {"equal": "名称一致", "similar": "名称相近", "differs": "名称不同"}
ADDRESS = {"same": "地址相同", "differs": "地址不同", "unsure": "地址不确定", "absent": "无地址"}
AGREES = {"equal", "same"}
SIMILAR_FROM = thresholds.REVIEW  # a name this similar is "similar" (else "differs")
DISAGREES = {"differs"}


def address_verdict(place: bool | None, both_given: bool) -> str:
    if not both_given:
        return "absent"
    return {True: "same", False: "differs", None: "unsure"}[place]


def name_verdict(score: float, sound: bool, similar_from: float) -> str:
    if score >= 100:
        return "equal"
    return "similar" if sound or score >= similar_from else "differs"


def pair(*, code: str, name: str | None = None, name_score: float | None = None, address: str | None = None) -> dict:
    evidence = {"code": code}
    if name is not None:
        evidence["name"] = name
    if name_score is not None:
        evidence["name_score"] = round(float(name_score), 1)
    if address is not None:
        evidence["address"] = address
    return evidence


def labels(evidence: dict | None) -> list[tuple[str, str]]:
    """(text, tone) for each piece of evidence: tone green agrees, red disagrees, gray neither."""
    found = []
    for key, texts in (("code", CODE), ("name", NAME), ("address", ADDRESS)):
        value = (evidence or {}).get(key)
        if value in texts:
            text = texts[value]
            if key == "name" and value == "similar" and "name_score" in evidence:
                text += f" {evidence['name_score']:.0f}"
            tone = "green" if value in AGREES else "red" if value in DISAGREES else "gray"
            found.append((text, tone))
    return found


def text(evidence: dict | None) -> str:
    return "，".join(label for label, _ in labels(evidence))


def similarity(a: str, b: str) -> float:
    return round(fuzz.ratio(a, b), 1)
