"""Cost of each pipeline component per release (not part of the test suite).

Why: the full pipeline should reach at least 0.9x the words/s of bare spaCy ``nlp.pipe``
on the same model. This script says where the time goes: it parses the seeds (raw/*.txt,
cycled x8) and the dev corpus (../shared/corpus/dev, read in place, never copied), times
bare ``nlp.pipe`` over the model's own components, then runs the whole pipeline component by
component and times each one, and prints ms/release, share of the total and ours/spaCy.

Our components run on empty memo caches for each release (``--warm`` keeps them), so that
the cycled seeds do not make them look cheaper than on releases never seen; ``--clock cpu``
measures this process's CPU time, steadier than wall time on a busy machine.

Usage:
    python benchmarks/profile_components.py [--repeat N] [--cycles 8] [--clock cpu] [--warm]
    python benchmarks/profile_components.py --profile release_orgs [--top 25] [--sort tottime]
        [--corpus seeds|dev|both]

Prints figures only; it asserts nothing.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402

from pipeline import DEFAULT_MODEL  # noqa: E402

from pipeline.ingest.readers import Release, read_path  # noqa: E402
from pipeline.run.nlp import build_nlp  # noqa: E402
from pipeline.run.rows import make_doc  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "dev"
BATCH = 8  # the runner's nlp.pipe batch size
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = time.perf_counter  # --clock cpu: process CPU time, steadier on a busy machine


def load_releases(folder: Path, cycles: int = 1) -> list[Release]:
    """Every .txt release of ``folder`` (read like the runner does), repeated ``cycles`` times."""
    found: list[Release] = []
    for path in sorted(folder.glob("*.txt")):
        found.extend(r for r in read_path(path) if isinstance(r, Release))
    return found * cycles


def model_components(nlp: Language) -> list[str]:
    """The model's own components (everything not registered by this project; the
    ``release_attribute_table`` that stands in for the model's attribute ruler is ours)."""
    return [n for n in nlp.pipe_names if not n.startswith("release_")]


def time_bare(bare: Language, releases: list[Release]) -> float:
    """Seconds of ``nlp.pipe`` with the model as it is shipped (``spacy.load``)."""
    docs = [make_doc(bare, r) for r in releases]
    t0 = clock()
    for _ in bare.pipe(docs, batch_size=BATCH):
        pass
    return clock() - t0


def memo_caches() -> list:
    """The project's bounded memo caches (``lru_cache`` with maxsize > 1).

    Loaders of data files (``@cache`` or maxsize 1) are left alone; memo caches keyed on
    words or spans are emptied before each release so that the repeated seeds (cycled x8)
    and the repeats of ``--repeat`` do not make a component look cheaper than it is on
    releases it has never seen.
    """
    found = {}
    for mod_name, mod in list(sys.modules.items()):
        if mod_name != "pipeline" and not mod_name.startswith("pipeline."):
            continue
        for obj in vars(mod).values():
            info = getattr(obj, "cache_info", None)
            if callable(info) and hasattr(obj, "cache_clear"):
                size = info().maxsize
                if size is not None and size > 1:
                    found[id(obj)] = obj
    return list(found.values())


def time_by_component(nlp: Language, releases: list[Release],
                      profile: str | None = None,
                      profiler: cProfile.Profile | None = None,
                      warm: bool = False) -> dict[str, float]:
    """Seconds spent in each component over all releases, run in pipeline order.

    Model components run batched (``pipe``), as in ``nlp.pipe``; ours run per Doc, each on
    empty memo caches unless ``warm``. With ``profile``, only that component's calls are
    recorded by ``profiler``.
    """
    docs = [make_doc(nlp, r) for r in releases]
    spent = {name: 0.0 for name in nlp.pipe_names}
    caches = [] if warm else memo_caches()
    for name, proc in nlp.pipeline:
        watched = name == profile and profiler is not None
        if hasattr(proc, "pipe") and not name.startswith("release_"):
            t0 = clock()
            docs = list(proc.pipe(docs, batch_size=BATCH))
            spent[name] += clock() - t0
            continue
        out = []
        for d in docs:
            for c in caches:
                c.cache_clear()
            if watched:
                profiler.enable()
            t0 = clock()
            out.append(proc(d))
            spent[name] += clock() - t0
            if watched:
                profiler.disable()
        docs = out
    return spent


def n_words(nlp: Language, releases: list[Release]) -> int:
    """Tokens that are not whitespace: the 'words' of words/s."""
    return sum(sum(1 for t in nlp.make_doc(r.text) if not t.is_space) for r in releases)


def report(nlp: Language, bare_nlp: Language, label: str, releases: list[Release],
           repeat: int, warm: bool = False) -> None:
    """Print one table: ms/release per component (best of ``repeat`` runs)."""
    bare = min(time_bare(bare_nlp, releases) for _ in range(repeat))
    runs = [time_by_component(nlp, releases, warm=warm) for _ in range(repeat)]
    best = {name: min(r[name] for r in runs) for name in nlp.pipe_names}
    n = len(releases)
    model = model_components(nlp)
    spacy_total = sum(best[c] for c in model)
    ours_total = sum(v for k, v in best.items() if k not in model)
    total = spacy_total + ours_total
    words = n_words(nlp, releases)
    caches = "warm memo caches" if warm else "memo caches emptied before each release"
    print(f"\n== {label}: {n} releases, {words:,} words, best of {repeat}, {caches}, "
          f"{'CPU' if clock is time.process_time else 'wall'} time")
    print(f"{'component':22s} {'ms/release':>10s} {'share':>7s}")
    for name in nlp.pipe_names:
        tag = "" if name in model else " *"
        print(f"{name + tag:22s} {1000 * best[name] / n:10.2f} {100 * best[name] / total:6.1f}%")
    print(f"{'spaCy components':22s} {1000 * spacy_total / n:10.2f}")
    print(f"{'ours (*)':22s} {1000 * ours_total / n:10.2f}")
    print(f"{'ours / spaCy':22s} {ours_total / spacy_total:10.2f}")
    print(f"bare nlp.pipe          {1000 * bare / n:10.2f} ms/release  {words / bare:,.0f} words/s")
    print(f"full pipeline          {1000 * total / n:10.2f} ms/release  {words / total:,.0f} words/s"
          f"  ({bare / total:.2f}x bare)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is shown")
    ap.add_argument("--cycles", type=int, default=8, help="times the seeds are repeated")
    ap.add_argument("--profile", metavar="NAME", help="cProfile one component instead")
    ap.add_argument("--top", type=int, default=30, help="cProfile entries to print")
    ap.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumulative)")
    ap.add_argument("--corpus", choices=["seeds", "dev", "both"], default="both")
    ap.add_argument("--warm", action="store_true",
                    help="keep the project's memo caches between releases")
    ap.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                    help="wall time, or this process's CPU time (steadier when the machine is busy)")
    args = ap.parse_args()
    global clock
    clock = CLOCKS[args.clock]

    nlp = build_nlp()
    bare_nlp = spacy.load(DEFAULT_MODEL)
    seeds = load_releases(ROOT / "raw", args.cycles)
    dev = load_releases(DEV) if DEV.is_dir() else []
    time_by_component(nlp, seeds[:5] + dev[:5])  # warm-up: data files, lazy caches

    if args.profile:
        if args.profile not in nlp.pipe_names:
            sys.exit(f"no component {args.profile!r}; choose from {nlp.pipe_names}")
        chosen = {"seeds": seeds, "dev": dev, "both": seeds + dev}[args.corpus]
        prof = cProfile.Profile()
        spent = time_by_component(nlp, chosen, profile=args.profile, profiler=prof,
                                  warm=args.warm)
        print(f"{args.profile}: {1000 * spent[args.profile] / len(chosen):.2f} ms/release "
              f"over {len(chosen)} releases (profiler overhead included)")
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
        return

    if args.corpus in ("seeds", "both"):
        report(nlp, bare_nlp, f"seeds x{args.cycles}", seeds, args.repeat, args.warm)
    if args.corpus in ("dev", "both") and dev:
        report(nlp, bare_nlp, "dev corpus", dev, args.repeat, args.warm)


if __name__ == "__main__":
    main()
