"""Fit the matcher's thresholds on a labelled set and write them to sanxin/compare/thresholds.py.

    .venv/bin/python bench/compare_calibrate.py                 # seed 7, 20,000 organizations, 100,000 rows
    .venv/bin/python bench/compare_calibrate.py --dry-run       # print, write nothing

The matcher runs once on the labelled set (bench/registry_labels.py, seed 7) with its two decision rules
(`similar_decision`, `code_decision`) recording what they were shown: the best candidate's similarity, the
runner-up's, whether the names differ only by sound-alike characters, the address verdict, how far apart the codes
are, and whether the candidate is the truth. Every other row is decided by an equal key and does not depend on a
threshold. The thresholds are then fitted by coordinate ascent over grids, calling the same rules, to maximise
F1 over the automatic decisions less a small cost per row left for review, with at most 1% of the rows for review.
Evaluate on another seed (bench/registry_labels.py --seed 11): the thresholds never saw it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from registry_labels import build

ROOT = Path(__file__).resolve().parent.parent
GRIDS = {
    "AUTO_MATCH": [85.0, 87.0, 89.0, 90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 96.0, 97.0, 98.0, 99.0, 101.0],
    "AT_SAME_ADDRESS": [70.0, 72.5, 75.0, 77.5, 80.0, 82.5, 85.0, 87.5, 90.0, 92.5, 95.0, 101.0],
    "SOUND_ALIKE": [70.0, 72.5, 75.0, 77.5, 80.0, 85.0, 90.0, 101.0],
    "MARGIN": [0.0, 1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0],
    "REVIEW": [60.0, 65.0, 70.0, 75.0, 80.0, 85.0, 90.0, 95.0, 101.0],
    "CODE_NAME": [70.0, 75.0, 80.0, 85.0, 90.0, 95.0, 101.0],
    "CODE_DIGITS": [1, 2, 3, 4, 6, 8, 18],
}
REVIEW_COST = 0.05  # F1 given up per unit of review share: among equal F1, the fewer rows for a person the better
REVIEW_LIMIT = 0.01


def record(firms, rows, places):
    """Run the matcher once; what each threshold-dependent decision saw, and the outcome of every other row."""
    from sanxin.compare import matcher as m
    from sanxin.compare.models import Outcome

    seen: list[tuple] = []
    current = {"row": None}
    real_similar, real_code = m.similar_decision, m.code_decision

    def similar(c, t=None):
        seen.append(("similar", current["row"], c, None))
        return real_similar(c)

    def code(c, apart, t=None):
        seen.append(("code", current["row"], c, apart))
        return real_code(c, apart)

    known = [m.Known(f.id, f.credit_code, f.name, f.region_code, f.address, f.deregistered) for f in firms]
    matcher = m.Matcher(known, region_code="36", region_names=places.region_names())
    real_match_row = matcher.match_row

    def match_row(number, values):
        current["row"] = number
        return real_match_row(number, values)

    matcher.match_row = match_row
    m.similar_decision, m.code_decision = similar, code
    try:
        results = matcher.run([{"row": n, "values": v} for n, v in enumerate(rows)], workers=1)
    finally:
        m.similar_decision, m.code_decision = real_similar, real_code
    fixed = {}
    for r in results:
        if r.row_number is not None:
            linked = r.organization_id if r.outcome in (Outcome.MATCHED, Outcome.GONE) else None
            fixed[r.row_number] = (linked, r.outcome == Outcome.REVIEW)
    ids = [k.id for k in known]
    decided = [(kind, row, c, apart, ids[c.index]) for kind, row, c, apart in seen]
    return fixed, decided


def evaluate(values: dict, fixed: dict, decided: list, truth: list) -> tuple[float, float, dict]:
    from sanxin.compare.matcher import code_decision, similar_decision

    t = SimpleNamespace(**values)
    linked = {row: link for row, (link, _) in fixed.items()}
    review = {row: queued for row, (_, queued) in fixed.items()}
    for kind, row, c, apart, candidate in decided:
        decision = similar_decision(c, t) if kind == "similar" else code_decision(c, apart, t)
        linked[row] = candidate if decision in ("match", "correct") else None
        review[row] = decision == "review"
    tp = sum(1 for row, link in linked.items() if link is not None and link == truth[row])
    fp = sum(1 for row, link in linked.items() if link is not None and link != truth[row])
    fn = sum(1 for row, link in linked.items() if truth[row] is not None and link != truth[row])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    share = sum(review.values()) / len(truth)
    return f1, share, {"precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn}


def fit(fixed, decided, truth, start: dict) -> tuple[dict, float, float, dict]:
    def objective(values):
        f1, share, _ = evaluate(values, fixed, decided, truth)
        return (f1 - REVIEW_COST * share) if share <= REVIEW_LIMIT else -1.0 - share

    best = dict(start)
    best_value = objective(best)
    for _round in range(3):
        improved = False
        for name, grid in GRIDS.items():
            for candidate in grid:
                trial = best | {name: candidate}
                value = objective(trial)
                if value > best_value + 1e-12:
                    best, best_value, improved = trial, value, True
        if not improved:
            break
    f1, share, detail = evaluate(best, fixed, decided, truth)
    return best, f1, share, detail


TEMPLATE = '''"""Thresholds of the matcher, fitted on a labelled set by `bench/compare_calibrate.py` (do not edit by hand).

Fitted {date} on bench/registry_labels.py seed {seed} ({orgs:,} organizations, {rows:,} rows): F1 {f1:.4f}
(precision {precision:.4f}, recall {recall:.4f}) over the automatic decisions, {share:.2%} of the rows left for review.
Evaluate on any other seed. Similarities are rapidfuzz ratios (0–100) of normalized names.
"""

AUTO_MATCH = {AUTO_MATCH!r}  # name similarity at or above which the best candidate is taken (its address not elsewhere)
AT_SAME_ADDRESS = {AT_SAME_ADDRESS!r}  # ... or this, at the same street and number
SOUND_ALIKE = {SOUND_ALIKE!r}  # ... or this, when the names differ only by characters that sound alike (address not elsewhere)
MARGIN = {MARGIN!r}  # ... if it leads the runner-up by this much
REVIEW = {REVIEW!r}  # below this the row is new
CODE_NAME = {CODE_NAME!r}  # a different credit code: name similarity from which, with the same address, the code is corrected
CODE_DIGITS = {CODE_DIGITS!r}  # ... if the two codes differ in at most this many places
'''


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from sanxin.compare import thresholds

    started = time.perf_counter()
    places, firms, rows, truth, _classes = build(args.orgs, args.rows, args.seed)
    fixed, decided = record(firms, rows, places)
    start = {name: getattr(thresholds, name) for name in GRIDS}
    f1, share, _ = evaluate(start, fixed, decided, truth)
    print(f"现行阈值：F1 {f1:.4f}，待核实 {share:.2%}；{len(decided):,} 行的结论取决于阈值")
    best, f1, share, detail = fit(fixed, decided, truth, start)
    print(f"拟合阈值：F1 {f1:.4f}（精确率 {detail['precision']:.4f}，召回率 {detail['recall']:.4f}），待核实 {share:.2%}")
    for name, value in best.items():
        print(f"  {name} = {value}")
    print(f"用时 {time.perf_counter() - started:.0f} 秒")
    if not args.dry_run:
        text = TEMPLATE.format(
            date=time.strftime("%Y-%m-%d"), seed=args.seed, orgs=len(firms), rows=len(rows), f1=f1, share=share, **detail, **best
        )
        (ROOT / "sanxin" / "compare" / "thresholds.py").write_text(text)
        print("已写入 sanxin/compare/thresholds.py")


if __name__ == "__main__":
    main()
