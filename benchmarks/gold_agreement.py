"""Inter-annotator agreement between two gold folders of the same releases.

Each table is matched with the scorer's own rules (pipeline/review/matching.py: token F1
thresholds, one-to-one greedy matching, name and organization equality), taking one
annotator as "gold" and the other as "predictions"; since F1 is symmetric, the F1 is the
agreement. Value agreement counts a matched pair only when its value also agrees (dates:
equal ISO value; statistics: value within 0.5 % and equal unit; quotes: same speaker).
Document fields agree when their normalized strings are equal.

Usage: python benchmarks/gold_agreement.py FOLDER_A FOLDER_B
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.review.matching import (  # noqa: E402
    DATE_THRESHOLD, QUOTE_THRESHOLD, STAT_THRESHOLD, match_items, names_equal, normalize,
    orgs_equal, token_f1, value_close)

FIELDS = ("title", "dateline", "published", "reference_date")


def _pairs(a: list[dict], b: list[dict], table: str) -> list[tuple[int, int, float]]:
    if table == "organizations":
        return match_items(a, b, lambda x, y: float(orgs_equal(x["name"], x.get("acronym"),
                                                               y["name"], y.get("acronym"))), 1.0)
    if table == "speakers":
        return match_items(a, b, lambda x, y: float(names_equal(x["name"], y["name"])), 1.0)
    threshold = {"quotes": QUOTE_THRESHOLD, "dates": DATE_THRESHOLD,
                 "statistics": STAT_THRESHOLD}[table]
    return match_items(a, b, lambda x, y: token_f1(x["text"], y["text"]), threshold)


def _value_agrees(table: str, x: dict, y: dict) -> bool:
    if table == "quotes":
        return x.get("kind") == y.get("kind") and names_equal(x.get("speaker"), y.get("speaker"))
    if table == "dates":
        return x.get("value") == y.get("value")
    if table == "statistics":
        return value_close(x.get("value"), y.get("value")) and normalize(x.get("unit")) == normalize(y.get("unit"))
    return True


def agreement(dir_a: Path, dir_b: Path) -> dict[str, dict[str, float]]:
    tables = ("quotes", "speakers", "organizations", "dates", "statistics")
    n = {t: [0, 0, 0, 0] for t in tables}  # entries in A, in B, matched, matched with value
    fields = {f: [0, 0] for f in FIELDS}
    for fa in sorted(Path(dir_a).glob("*.json")):
        fb = Path(dir_b) / fa.name
        if not fb.exists():
            continue
        a, b = json.loads(fa.read_text(encoding="utf-8")), json.loads(fb.read_text(encoding="utf-8"))
        for t in tables:
            pairs = _pairs(a[t], b[t], t)
            n[t][0] += len(a[t])
            n[t][1] += len(b[t])
            n[t][2] += len(pairs)
            n[t][3] += sum(_value_agrees(t, a[t][i], b[t][j]) for i, j, _ in pairs)
        for f in FIELDS:
            fields[f][0] += normalize(a[f]) == normalize(b[f])
            fields[f][1] += 1
    out: dict[str, dict[str, float]] = {}
    for t, (na, nb, m, mv) in n.items():
        out[t] = {"A": na, "B": nb, "matched": m, "F1": 2 * m / (na + nb) if na + nb else 1.0,
                  "value F1": 2 * mv / (na + nb) if na + nb else 1.0}
    for f, (same, total) in fields.items():
        out[f"documents.{f}"] = {"agreement": same / total if total else 1.0, "of": total}
    return out


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    result = agreement(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{'table':<26} {'A':>5} {'B':>5} {'match':>6} {'F1':>6} {'value F1':>9}")
    for name, r in result.items():
        if "agreement" in r:
            print(f"{name:<26} {'':>5} {'':>5} {r['of']:>6} {r['agreement']:>6.3f}")
        else:
            print(f"{name:<26} {r['A']:>5} {r['B']:>5} {r['matched']:>6} {r['F1']:>6.3f} {r['value F1']:>9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
