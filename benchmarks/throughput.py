"""Throughput and memory of a full run (not part of the test suite).

Builds a corpus of N releases by repeating the releases of raw/ under new doc_ids (as JSONL),
runs the pipeline once without cache, and prints releases/s, characters/s, wall time and
peak resident memory. Usage: python benchmarks/throughput.py [N] [--workers W]
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.runner import run  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=100)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw").glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as fh:
            for i in range(args.n):
                fh.write(json.dumps({"doc_id": f"bench-{i:05d}", "text": seeds[i % len(seeds)]}) + "\n")
        chars = sum(len(seeds[i % len(seeds)]) for i in range(args.n))
        t0 = time.perf_counter()
        summary = run([corpus], Path(tmp) / "out", n_process=args.workers, use_cache=False)
        wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"releases           {summary.read}")
    print(f"workers            {args.workers}")
    print(f"wall time          {wall:.1f} s (model load included)")
    print(f"releases/s         {summary.read / wall:.2f}")
    print(f"characters/s       {chars / wall:,.0f}")
    print(f"peak RSS           {peak_mb:.0f} MB (children {child_mb:.0f} MB)")
    print("rows               " + ", ".join(f"{k}={v}" for k, v in summary.rows.items()))


if __name__ == "__main__":
    main()
