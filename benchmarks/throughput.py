"""Throughput, scaling and memory of the pipeline (not part of the test suite).

Builds a corpus of N real texts (default 400) under distinct doc_ids: the seeds, the dev
releases, PolNeAR and TimeML news articles, taken in turn (read in place from ../shared), then
measures on that same corpus, in one go:

- bare spaCy ``nlp.pipe`` words/s with the same model (single process), as installed (its
  layers multiply with blis) and with the pipeline's numpy BLAS (pipeline/run/blas.py): the
  first is the target's reference, the second shows the pipeline's own cost over spaCy's;
- the full pipeline's words/s (``python -m pipeline run``: ingest, parse, extract, resolve,
  write) with 1 and with 2 worker processes, and its ratio to bare spaCy;
- the peak memory of a full run over the first N/2 and over all N releases;
- the time to add 10 new releases to the processed corpus, as a fraction of the full run.

Every full run is a separate process (so its peak RSS is its own), started cold, without the
row cache. Figures are printed, never asserted. Targets: full ≥ 0.9× bare,
2 workers ≥ 1.85× one, peak memory at N within 15 % of N/2, adding 10 < 5 % of a full run.

``--paired K`` adds K rounds in which bare spaCy (its own process) and the 1-worker pipeline
run at the same time, each on one of the two cores. A virtual machine's speed drifts by
10-20 % within minutes; run side by side, both meet the same drift, and their ratio varies
by a few per cent where sequential rounds vary by twenty.

Usage: python benchmarks/throughput.py [N] [--batch-size B] [--repeat K] [--paired K]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import DEFAULT_MODEL  # noqa: E402
from pipeline.ingest.timeml import parse_timeml  # noqa: E402


SHARED = ROOT.parent / "shared"


def text_pool() -> list[str]:
    """Real texts of four kinds, taken in turn: the seeds, the dev releases, PolNeAR news
    articles and TimeML news (the text the .tml reader gives); read in place from raw/ and ../shared."""
    polnear = SHARED / "corpus/external/polnear"
    sources = [
        [p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw").glob("*.txt"))],
        [p.read_text(encoding="utf-8") for p in sorted((SHARED / "corpus/dev").glob("*.txt"))],
        [p.read_text(encoding="utf-8") for p in sorted((polnear / "dev/text").glob("*.txt"))
         + sorted((polnear / "train/text").glob("*.txt"))],
        [parse_timeml(p.read_text(encoding="utf-8"), p.stem).text
         for p in sorted((SHARED / "corpus/external/timeml").rglob("*.tml"))],
    ]
    pool, i = [], 0
    while any(i < len(s) for s in sources):
        pool += [s[i] for s in sources if i < len(s)]
        i += 1
    return pool


def build_corpus(folder: Path, n: int, start: int = 0) -> list[str]:
    """Write texts ``start``…``start+n-1`` of the mixed pool as ``bench-NNNNN.txt`` (cycled
    only past the pool's end); return them."""
    pool = text_pool()
    folder.mkdir(parents=True, exist_ok=True)
    texts = []
    for i in range(start, start + n):
        text = pool[i % len(pool)]
        (folder / f"bench-{i:05d}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
    return texts


def full_run(inputs: Path, out: Path, workers: int = 1, cache: bool = False) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one ``pipeline run`` process."""
    extra = ["--workers", str(workers)] + ([] if cache else ["--no-cache"])
    return timed_run([inputs], out, *extra)


_HWM = ("import atexit, resource, runpy, sys\n"
        "report = sys.argv.pop(1)\n"
        "def hwm():\n"
        "    line = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "    open(report, 'w').write(f'{line.split()[1]} {child}')\n"
        "atexit.register(hwm)\n"
        "runpy.run_module('pipeline', run_name='__main__')\n")


def timed_run(paths: list[Path], out: Path, *extra: str) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one ``pipeline run`` process.

    The peak is the process's own ``VmHWM``, read as it exits (``ru_maxrss`` of a child
    counts the memory of the parent it was forked from: this benchmark holds a corpus),
    plus the largest peak among the processes it forked (a run that preloads the model
    parses in one, pipeline/run/preload.py): an upper bound, since a fork shares pages."""
    with tempfile.NamedTemporaryFile("r", suffix=".hwm") as hwm:
        cmd = [sys.executable, "-c", _HWM, hwm.name, "run", *map(str, paths), "--out", str(out),
               "-q", *extra]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"pipeline run failed: {' '.join(map(str, paths))} {' '.join(extra)}")
        own, child = (hwm.read() or "0 0").split()
        return wall, (int(own) + int(child)) / 1024


_BARE = ("import pathlib, sys, time, spacy\n"
         "folder, model, batch, gemm = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]\n"
         "texts = [p.read_text(encoding='utf-8') for p in sorted(pathlib.Path(folder).glob('*.txt'))]\n"
         "nlp = spacy.load(model)\n"
         "if gemm == 'numpy':\n"
         "    from threadpoolctl import threadpool_limits\n"
         "    from pipeline.run.blas import BLAS_THREADS, swap_gemm\n"
         "    swap_gemm(nlp)\n"
         "    threadpool_limits(BLAS_THREADS, user_api='blas')  # for the rest of the process\n"
         "t0 = time.perf_counter()\n"
         "for _ in nlp.pipe(texts, batch_size=batch):\n"
         "    pass\n"
         "print(time.perf_counter() - t0)\n")


def bare_spacy(inputs: Path, batch_size: int, gemm: str = "blis") -> float:
    """Seconds for bare ``nlp.pipe`` over the texts of ``inputs``, in a process of its own
    (like every full run); its start, reading and model load are not timed. ``gemm="numpy"``:
    the model multiplies through numpy's BLAS on one thread, as the pipeline's does
    (pipeline/run/blas.py); the default is spaCy as installed (blis)."""
    bare = subprocess.run([sys.executable, "-c", _BARE, str(inputs), DEFAULT_MODEL, str(batch_size),
                           gemm], capture_output=True, text=True, cwd=ROOT)
    if bare.returncode != 0:
        raise SystemExit(f"bare spaCy failed: {bare.stderr[-500:]}")
    return float(bare.stdout)


def paired_round(inputs: Path, out: Path, batch_size: int) -> tuple[float, float]:
    """(bare seconds, full seconds) of ``bare_spacy`` and a 1-worker ``pipeline run`` started
    together (full: the whole process)."""
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    full = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(inputs), "--out", str(out),
                             "-q", "--no-cache", "--workers", "1"], cwd=ROOT)
    bare = bare_spacy(inputs, batch_size)
    if full.wait() != 0:
        raise SystemExit("the paired pipeline run failed")
    return bare, time.perf_counter() - t0


def median(values: list[float]) -> float:
    """The middle value (the lower middle one of an even count): on a shared virtual machine
    one run can be off by ten per cent, so each figure is the median of ``--repeat`` rounds."""
    return sorted(values)[(len(values) - 1) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=400)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--repeat", type=int, default=1,
                    help="rounds of bare spaCy, 1 and 2 workers; each figure is their median")
    ap.add_argument("--paired", type=int, default=0, metavar="K",
                    help="also K rounds of bare spaCy and 1 worker side by side (their median ratio)")
    args = ap.parse_args()
    n, half = args.n, args.n // 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        texts = build_corpus(tmp / "corpus", n)
        shutil.copytree(tmp / "corpus", tmp / "half", ignore=lambda d, names: [
            x for x in names if x.endswith(".txt") and int(x[6:11]) >= half])
        words = sum(len(t.split()) for t in texts)
        print(f"corpus: {n} releases, {words:,} words, {sum(map(len, texts)):,} characters "
              f"(seeds, dev releases, PolNeAR and TimeML news, in turn); model {DEFAULT_MODEL}; {os.cpu_count()} CPUs", flush=True)

        rounds = []
        for k in range(args.repeat):  # bare, 1 and 2 workers in turn: a drift of the machine's
            bare = bare_spacy(tmp / "corpus", args.batch_size)  # speed then hits each alike
            bare_np = bare_spacy(tmp / "corpus", args.batch_size, gemm="numpy")
            # 1 then 2 workers, then 2 then 1 in the next round: a machine slowing down (or
            # speeding up) over a round favours neither side of the ratio across rounds
            if k % 2 == 0:
                t1, mem_full = full_run(tmp / "corpus", tmp / "out1", workers=1)
                t2, _ = full_run(tmp / "corpus", tmp / "out2", workers=2)
            else:
                t2, _ = full_run(tmp / "corpus", tmp / "out2", workers=2)
                t1, mem_full = full_run(tmp / "corpus", tmp / "out1", workers=1)
            rounds.append((bare, t1, t2, bare_np))
            print(f"round {k + 1}: bare {bare:.1f} s (numpy BLAS {bare_np:.1f} s), 1 worker "
                  f"{t1:.1f} s, 2 workers {t2:.1f} s; full/bare {bare / t1:.2f}x "
                  f"(on numpy BLAS {bare_np / t1:.2f}x), 2/1 {t1 / t2:.2f}x", flush=True)
        pairs = []
        for k in range(args.paired):
            pb, pf = paired_round(tmp / "corpus", tmp / "out_paired", args.batch_size)
            pairs.append(pb / pf)
            print(f"pair {k + 1}: bare {pb:.1f} s and 1 worker {pf:.1f} s side by side; "
                  f"full/bare {pb / pf:.2f}x", flush=True)
        bare, full1, full2, bare_np = (median([r[i] for r in rounds]) for i in range(4))
        vs_bare = median([b / t1 for b, t1, _, _ in rounds])
        vs_bare_np = median([b / t1 for _, t1, _, b in rounds])
        speedup = median([t1 / t2 for _, t1, t2, _ in rounds])
        _, mem_half = full_run(tmp / "half", tmp / "out_half", workers=1)
        build_corpus(tmp / "corpus", 10, start=n)
        add10, _ = full_run(tmp / "corpus", tmp / "out1", workers=1, cache=True)

    of_rounds = f" (median of {len(rounds)} rounds)" if len(rounds) > 1 else ""
    rows = [
        ("bare spaCy nlp.pipe (1 process)", f"{words / bare:,.0f} words/s", f"{bare:.1f} s"),
        ("bare spaCy, numpy BLAS", f"{words / bare_np:,.0f} words/s", f"{bare_np:.1f} s"),
        ("full pipeline, 1 worker", f"{words / full1:,.0f} words/s", f"{full1:.1f} s"),
        ("full pipeline, 2 workers", f"{words / full2:,.0f} words/s", f"{full2:.1f} s"),
        ("full (1 worker) / bare spaCy", f"{vs_bare:.2f}x", "target >= 0.9x" + of_rounds),
        ("full / bare spaCy on numpy BLAS", f"{vs_bare_np:.2f}x",
         "the pipeline's own cost over spaCy's" + of_rounds),
        ("2 workers / 1 worker", f"{speedup:.2f}x", "target >= 1.85x" + of_rounds),
        *([("full / bare, side by side", f"{median(pairs):.2f}x",
            f"target >= 0.9x (median of {len(pairs)} pairs, {min(pairs):.2f}-{max(pairs):.2f})")]
          if pairs else []),
        (f"peak RSS, {half} releases", f"{mem_half:.0f} MB", ""),
        (f"peak RSS, {n} releases", f"{mem_full:.0f} MB",
         f"{(mem_full / mem_half - 1) * 100:+.1f} % (target <= +15 %)"),
        ("add 10 releases to the corpus", f"{add10:.1f} s",
         f"{add10 / full1 * 100:.1f} % of a full run (target < 5 %)"),
    ]
    width = max(len(r[0]) for r in rows)
    print()
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>18}  {note}")


if __name__ == "__main__":
    main()
