"""Cost of incremental runs on a large stored corpus (not part of the test suite).

Fabricates a stored corpus of N releases without parsing them: the pipeline runs once on the
real texts (raw/ and ../shared/corpus/dev, read in place), then their stored rows are copied
into the row store under new doc_ids, each with a matching input file of the same bytes (so
its sha256 matches the stored one). A first run then builds the tables. Then, each as its
own ``pipeline run`` process (wall time, and the peak RSS of it and of the largest process it
forked: a run over a large store parses in a process that preloaded the model):

- an unchanged re-run;
- adding 10 new releases;
- changing 10 releases;
- pruning 10 releases (files removed, ``--prune``).

Figures are printed, never asserted. Goals: an unchanged re-run well under 1 s; adding 10
flat in corpus size; peak RSS ≤ 1 GB at 100,000. The benchmark also times a bare walk of the
input folder (``os.scandir`` and one ``stat`` per file, no pipeline): the floor of any run
that notices an edited file by its size and time, and the part of a run's cost that must
grow with the corpus.

Usage: python benchmarks/scale.py [--n 10000] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.run import store as store_mod  # noqa: E402
from throughput import timed_run  # noqa: E402  (benchmarks/ is this script's folder)

SHARED = ROOT.parent / "shared"
REAL = [ROOT / "raw", SHARED / "corpus/dev"]


def real_files() -> list[Path]:
    return [p for folder in REAL for p in sorted(folder.glob("*.txt"))]


pipeline_run = timed_run  # one pipeline run process: (wall seconds, peak RSS in MB)


def _renamed(value, doc_id: str):
    """``value`` with every ``doc_id`` field set to ``doc_id`` (rows nest lists of dicts)."""
    if isinstance(value, dict):
        return {k: (doc_id if k == "doc_id" else _renamed(v, doc_id)) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, doc_id) for v in value]
    return value


# How many spellings each real person and organization takes across the copies: a copy of a
# real release names "its" people and organizations with a suffix that depends on the copy
# number (0 = as written). At 100,000 releases that gives ~87,000 distinct people and ~48,000
# distinct organization forms from the 87 and 240 of the real releases: the order of a real
# corpus of that size, where copies of 65 releases alone would repeat 300 written forms and
# hide what corpus resolve costs.
PERSON_SPELLINGS = 1000
ORG_SPELLINGS = 200


def _tag(k: int) -> str:
    """A letters-only suffix for spelling ``k`` (``""`` for 0): ``Waly`` -> ``Walyqb``."""
    out = ""
    while k:
        k, r = divmod(k, 26)
        out += chr(ord("a") + r)
    return f"q{out}" if out else ""


def _suffixed(text: str | None, tag: str, upper: bool = False) -> str | None:
    """``text`` with ``tag`` added to its last word (its acronym's letters, for ``upper``)."""
    if not text or not tag:
        return text
    return text + (tag.upper() if upper else tag)


def _varied(rows: dict, copy: int) -> dict:
    """``rows`` whose people and organizations are spelled as in copy number ``copy``: every
    written form of one release gets the same suffix, so what links within it still links."""
    ptag, otag = _tag(copy % PERSON_SPELLINGS), _tag(copy % ORG_SPELLINGS)
    if not ptag and not otag:
        return rows
    rows = dict(rows)
    rows["doc_people"] = [{**p, "name": _suffixed(p.get("name"), ptag),
                           "organization": _suffixed(p.get("organization"), otag)}
                          for p in rows.get("doc_people") or []]
    mentions = []
    for m in rows.get("organization_mentions") or []:
        text = m.get("text")
        new_text = (_suffixed(text, otag, upper=True) if text and text == m.get("acronym")
                    else _suffixed(text, otag))
        mentions.append({**m, "text": new_text, "name": _suffixed(m.get("name"), otag),
                         "acronym": _suffixed(m.get("acronym"), otag, upper=True)})
    rows["organization_mentions"] = mentions
    return rows


def current_fingerprint() -> str:
    """The fingerprint this code gives rows (stored rows under another one are re-parsed)."""
    from pipeline import DEFAULT_MODEL
    from pipeline.run.modelinfo import model_label_of
    from pipeline.run.runner import code_fingerprint

    return code_fingerprint(model_label_of(DEFAULT_MODEL))


def base_rows(base_out: Path) -> list[tuple[Path, dict]]:
    """(input file, stored rows) of each real release, parsed once into ``base_out`` (again
    when the code changed since)."""
    files = real_files()
    pipeline_run(REAL, base_out)  # a no-op when the rows are current
    by_id = {p.stem: p for p in files}
    found = []
    for doc_id, rows in store_mod.RowStore(base_out).all_rows():
        found.append((by_id[doc_id], rows))
    found.sort(key=lambda t: t[0].stem)
    return found


def fabricate(n: int, corpus: Path, out: Path, base: list[tuple[Path, dict]],
              fingerprint: str, start: int = 0, store_rows: bool = True,
              varied: bool = True) -> None:
    """Input files ``s000000.txt``… (copies of real texts) and, if ``store_rows``, their
    stored rows under the same doc_ids, as if an earlier run had parsed them; ``varied``
    spells the people and organizations of each copy its own way (``_varied``)."""
    corpus.mkdir(parents=True, exist_ok=True)
    items = []
    for i in range(start, start + n):
        src, rows = base[i % len(base)]
        doc_id = f"s{i:06d}"
        data = src.read_bytes()
        (corpus / f"{doc_id}.txt").write_bytes(data)
        if store_rows:
            rows = _renamed(_varied(rows, i // len(base)) if varied else rows, doc_id)
            rows["documents"][0]["source"] = str(corpus / f"{doc_id}.txt")
            items.append((doc_id, rows["documents"][0]["sha256"], rows))
    if store_rows:
        store_mod.RowStore(out).put_many(items, fingerprint)


def distinct_forms(out: Path) -> str:
    """How many distinct people names and organization forms the stored corpus holds."""
    import pyarrow as pa
    import pyarrow.compute as pc

    store = store_mod.RowStore(out)
    index = store.entity_index(store.index_table())
    table = pa.concat_tables(index.values()).unify_dictionaries()
    kinds = pc.cast(table["kind"], pa.string())
    n = {k: len(pc.unique(pc.cast(table.filter(pc.equal(kinds, k))["key"], pa.string())))
         for k in ("person", "org")}
    return f"{n['person']:,} distinct people names, {n['org']:,} organization forms"


def walk_floor(folder: Path, rounds: int = 3) -> float:
    """Seconds for ``os.scandir`` and ``stat`` of every file of ``folder`` (median of
    ``rounds``): what checking each input file for a change costs before any pipeline code."""
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for entry in os.scandir(folder):
            entry.stat()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one)")
    ap.add_argument("--copied-names", action="store_true",
                    help="keep the real releases' people and organizations as written in every "
                         "copy (few distinct forms: corpus resolve looks cheaper than it is)")
    args = ap.parse_args()
    tmp_ctx = tempfile.TemporaryDirectory() if args.keep is None else None
    tmp = Path(tmp_ctx.name) if tmp_ctx else args.keep
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        base = base_rows(tmp / "base")
        fingerprint = current_fingerprint()
        corpus, out = tmp / f"corpus{args.n}", tmp / f"out{args.n}"
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.perf_counter()
        fabricate(args.n, corpus, out, base, fingerprint, varied=not args.copied_names)
        print(f"fabricated {args.n} stored releases from {len(base)} real ones in "
              f"{time.perf_counter() - t0:.0f} s ({distinct_forms(out)})", flush=True)
        results = [("first run (tables built)", *pipeline_run([corpus], out))]
        results.append(("unchanged re-run", *pipeline_run([corpus], out)))
        fabricate(10, corpus, out, base, fingerprint, start=args.n, store_rows=False)
        results.append(("add 10 releases", *pipeline_run([corpus], out)))
        for i in range(10):
            f = corpus / f"s{i * 97:06d}.txt"
            f.write_text(f.read_text(encoding="utf-8") + f"\nUpdated on day {i + 1}.\n",
                         encoding="utf-8")
        results.append(("change 10 releases", *pipeline_run([corpus], out)))
        for i in range(10):
            (corpus / f"s{i * 89 + 1:06d}.txt").unlink(missing_ok=True)
        results.append(("prune 10 releases", *pipeline_run([corpus], out, "--prune")))
        floor = walk_floor(corpus)
    finally:
        if tmp_ctx:
            tmp_ctx.cleanup()
    print(f"\n{args.n:,} stored releases ({os.cpu_count()} CPUs)")
    width = max(len(r[0]) for r in results)
    print(f"{'':<{width}}  {'wall':>8}  {'peak RSS':>9}")
    for name, wall, rss in results:
        print(f"{name:<{width}}  {wall:>7.2f}s  {rss:>6.0f} MB")
    print(f"{'bare walk + stat (floor)':<{width}}  {floor:>7.2f}s")


if __name__ == "__main__":
    main()
