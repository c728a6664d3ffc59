"""Robustness on perturbed real texts (not part of the test suite; it asserts nothing).

Why: a bug that raises inside one extractor costs the whole release (it becomes an ``errors``
row with no sentences, quotes, organizations, dates or statistics). Such bugs hide in
layouts the gold sets do not have, and one did: a quote running over paragraphs that end in
colons sent the attribution into endless recursion. This script takes N real texts of the
throughput benchmark's mixed pool (seeds, dev releases, PolNeAR and TimeML news, read in
place), makes each of them into the kinds of damage scraped releases show, runs the
pipeline once over all of them, and prints how many of each kind ended in the ``errors``
table, then every such error.

Kinds: paragraphs shuffled; curly quotes made straight; blank lines removed; cut at a random
point (mid-quote, mid-word); curly quote marks randomly dropped or swapped; all capitals;
punctuation removed; no-break spaces; stray marks (quotes, colons, brackets, blank lines)
inserted every ~80 characters; one paragraph repeated 30 times.

Usage: python benchmarks/perturbed.py [N] [--workers W] [--seed S]
"""
from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Callable

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from throughput import text_pool  # noqa: E402  (benchmarks/ is this script's folder)

STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
STRAY = ['"', "“", "”", "'", "‘", "’", "«", "»", ":", "\n\n", " - ", "(", ")"]


def _shuffled(t: str, rnd: random.Random) -> str:
    paras = t.split("\n\n")
    rnd.shuffle(paras)
    return "\n\n".join(paras)


def _cut(t: str, rnd: random.Random) -> str:
    return t[:rnd.randrange(max(1, len(t) // 3), max(2, len(t)))]


def _broken_marks(t: str, rnd: random.Random) -> str:
    return re.sub("[“”]", lambda m: rnd.choice(['"', "“", "”", ""]), t)


def _stray(t: str, rnd: random.Random) -> str:
    chars = list(t)
    for _ in range(max(1, len(chars) // 80)):
        chars.insert(rnd.randrange(len(chars) + 1), rnd.choice(STRAY))
    return "".join(chars)


def _repeated(t: str, rnd: random.Random) -> str:
    paras = t.split("\n\n")
    return "\n\n".join(paras + [rnd.choice(paras)] * 30)


PERTURBATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "shuffled": _shuffled,
    "straight_quotes": lambda t, rnd: t.translate(STRAIGHT),
    "no_blank_lines": lambda t, rnd: re.sub(r"\n+", "\n", t),
    "cut": _cut,
    "broken_marks": _broken_marks,
    "capitals": lambda t, rnd: t.upper(),
    "no_punctuation": lambda t, rnd: re.sub(r"[^\w\s]", "", t),
    "nbsp": lambda t, rnd: t.replace(" ", "\u00a0"),
    "stray_marks": _stray,
    "repeated": _repeated,
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=200, help="real texts to perturb")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    texts = text_pool()[:args.n]
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "in", Path(tmp) / "out"
        folder.mkdir()
        for i, text in enumerate(texts):
            for kind, perturb in PERTURBATIONS.items():
                (folder / f"t{i:04d}.{kind}.txt").write_text(perturb(text, rnd), encoding="utf-8")
        t0 = time.perf_counter()
        cmd = [sys.executable, "-m", "pipeline", "run", str(folder), "--out", str(out), "-q",
               "--no-cache", "--workers", str(args.workers)]
        if subprocess.run(cmd, cwd=ROOT).returncode != 0:
            raise SystemExit("the pipeline run failed")
        seconds = time.perf_counter() - t0
        errors = pd.read_parquet(out / "errors")
    kinds = Counter(str(d).split(".", 1)[1] for d in errors["doc_id"]) if len(errors) else Counter()
    print(f"{len(texts)} texts x {len(PERTURBATIONS)} perturbations = "
          f"{len(texts) * len(PERTURBATIONS)} releases in {seconds:.0f} s; "
          f"{len(errors)} ended in the errors table")
    for kind in PERTURBATIONS:
        print(f"  {kind:<16} {kinds.get(kind, 0):>4} errors")
    for row in errors.itertuples():
        print(f"  {row.doc_id}: {row.stage}: {row.message}")


if __name__ == "__main__":
    main()
