"""Do the extractors still produce the same rows? A guard for refactoring.

Runs the pipeline (a separate process, no row cache) over four corpora: the seeds in ``raw/``,
``../shared/corpus/dev/``, the PolNeAR texts and the TimeML files (read by the pipeline's
own .tml reader) of ``../shared/corpus/external/``. Then compares every table row by row
with a saved baseline and prints, per corpus and table, the rows only in the baseline and
only in the new run (first few of each).

Usage:
  python benchmarks/same_outputs.py --save          # write the baseline
  python benchmarks/same_outputs.py                 # compare with it (exit 1 on a difference)
  python benchmarks/same_outputs.py --corpus seeds  # one corpus only
Baselines live in ``benchmarks/out/same_outputs/`` (not committed).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "benchmarks" / "out" / "same_outputs"
TABLES = ["documents", "sentences", "quotes", "people", "speakers", "organizations",
          "organization_mentions", "dates", "statistics"]
IGNORED_COLUMNS = {"source"}  # where the input file lives differs between machines


def corpora() -> dict[str, list[Path]]:
    polnear = SHARED / "corpus/external/polnear"
    return {
        "seeds": [ROOT / "raw"],
        "dev": [SHARED / "corpus/dev"],
        "polnear": [polnear / "dev/text", polnear / "train/text"],
        "timeml": [SHARED / "corpus/external/timeml"],  # .tml files are read as releases
    }


def run_pipeline(paths: list[Path], out: Path, workers: int) -> float:
    if out.exists():
        shutil.rmtree(out)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "run", *map(str, paths), "--out", str(out),
                    "--no-cache", "-q", "--workers", str(workers)], check=True, cwd=ROOT)
    return time.perf_counter() - t0


def load(out: Path, table: str) -> pd.DataFrame:
    df = pd.read_parquet(out / table)
    df = df[[c for c in df.columns if c not in IGNORED_COLUMNS]]
    return df.astype(str)


def compare(base: Path, new: Path, show: int) -> int:
    """Print the differing rows per table; return how many rows differ in all."""
    total = 0
    for table in TABLES:
        a, b = load(base, table), load(new, table)
        cols = [c for c in a.columns if c in b.columns]
        extra = sorted(set(a.columns) ^ set(b.columns))
        ka = a[cols].apply(tuple, axis=1).value_counts()
        kb = b[cols].apply(tuple, axis=1).value_counts()
        only_a = (ka - kb.reindex(ka.index, fill_value=0)).clip(lower=0)
        only_b = (kb - ka.reindex(kb.index, fill_value=0)).clip(lower=0)
        n_a, n_b = int(only_a.sum()), int(only_b.sum())
        total += n_a + n_b
        flag = "same" if n_a == n_b == 0 else f"-{n_a} +{n_b}"
        print(f"  {table:24s} rows {len(a):6d} → {len(b):6d}  {flag}"
              + (f"  (column set differs: {extra})" if extra else ""))
        for label, rows in (("-", only_a[only_a > 0]), ("+", only_b[only_b > 0])):
            for row in list(rows.index)[:show]:
                print(f"      {label} {dict(zip(cols, row))}")
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--save", action="store_true", help="write the baseline instead of comparing")
    ap.add_argument("--corpus", action="append", help="only these corpora (seeds, dev, polnear, timeml)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", type=int, default=5, help="differing rows to print per table")
    args = ap.parse_args()
    wanted = corpora()
    names = args.corpus or list(wanted)
    differing = 0
    for name in names:
        target = OUT / ("baseline" if args.save else "current") / name
        seconds = run_pipeline(wanted[name], target, args.workers)
        print(f"{name}: ran in {seconds:.1f} s")
        if not args.save:
            differing += compare(OUT / "baseline" / name, target, args.show)
    if not args.save:
        print("SAME OUTPUTS" if differing == 0 else f"{differing} rows differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
