"""Peers side by side with the pipeline: textacy's ``direct_quotations`` on quotes and
speakers, and (``--dates``) dateparser and spaCy's DATE/TIME entities on dates.

textacy (a dev-only dependency) is run as a user would run it: the release text through
the same spaCy model, ``textacy.extract.triples.direct_quotations(doc)``, and a
``ValueError`` (which it raises on an odd number of quotation marks) caught per release and
recorded as zero quotes for that release. Its triples are written in the output contract's
shape (``quotes``, ``people``, ``speakers``, ``documents``; the other tables empty) and both
folders are scored with ``pipeline.review.evaluate.evaluate`` against the same gold, side by side.

    python benchmarks/peers.py                      # raw/ vs tests/gold, pipeline in outputs/
    python benchmarks/peers.py --run-pipeline       # (re)build the pipeline outputs first
    python benchmarks/peers.py --errors             # also list every miss and false hit
    python benchmarks/peers.py --format polnear --gold ../shared/corpus/external/polnear/dev \
        --pipeline-out /tmp/pn-dev                  # PolNeAR dev (texts from <gold>/text)

Dates (``--dates``): on TimeML documents (TempEval-3 task A measures, ``evaluate --format
timeml``) and on releases with press-release gold (dates value F1), three systems: the
pipeline's ``dates`` table; dateparser's ``search_dates`` with the reference date as
``RELATIVE_BASE`` (a dev-only dependency); spaCy's DATE and TIME entities, normalized by
``dateparser.parse`` against the same reference date (spaCy has no normalizer of its own).
A peer's date is a day: its value is the ISO day of the datetime it returns.

    python benchmarks/peers.py --dates --timeml ../shared/corpus/external/timeml \
        --pipeline-out /tmp/tml-out          # the pipeline run on the same .tml files
    python benchmarks/peers.py --dates raw --gold tests/gold --pipeline-out outputs

Outputs go to benchmarks/out/ (ignored by git). Not part of the test run.
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline import DEFAULT_MODEL, __version__  # noqa: E402
from pipeline.extract.people.names import slugify  # noqa: E402
from pipeline.run.tables import TABLES, to_table, write_table  # noqa: E402

QUOTE_MARKS = "\"'“”‘’«»„`"


def release_files(paths: list[Path]) -> list[Path]:
    """The .txt releases named or found in folders, in a stable order."""
    out: list[Path] = []
    for p in paths:
        out.extend(sorted(p.glob("*.txt")) if p.is_dir() else [p])
    return out


def textacy_rows(nlp, files: list[Path]) -> tuple[dict[str, list[dict]], list[str]]:
    """Run direct_quotations on each release; rows per contract table, and the doc_ids
    where textacy gave up (ValueError)."""
    from textacy.extract.triples import direct_quotations

    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    failed: list[str] = []
    people: dict[str, dict] = {}
    for f in files:
        raw = f.read_bytes()
        text = raw.decode("utf-8", errors="replace").strip()
        doc_id = f.stem
        rows["documents"].append({"doc_id": doc_id, "source": str(f), "sha256": hashlib.sha256(raw).hexdigest(),
                                  "text": text})
        doc = nlp(text)
        try:
            triples = list(direct_quotations(doc))
        except ValueError:
            failed.append(doc_id)
            triples = []
        counts: dict[str, int] = {}
        for n, (speaker, cue, content) in enumerate(triples):
            s, e = content.start_char, content.end_char
            while s < e and (text[s] in QUOTE_MARKS or text[s].isspace()):
                s += 1
            while e > s and (text[e - 1] in QUOTE_MARKS or text[e - 1].isspace()):
                e -= 1
            mention = doc[speaker[0].i: speaker[-1].i + 1].text if speaker else None
            pid = slugify(mention) if mention else None
            verbs = [t for t in cue if t.pos_ == "VERB"] or list(cue)
            rows["quotes"].append({
                "doc_id": doc_id, "quote_id": n, "sentence_id": None, "start_char": s, "end_char": e,
                "text": text[s:e], "kind": "direct", "speaker_id": pid, "speaker_mention": mention,
                "cue": verbs[0].lemma_ if verbs else None,
            })
            if pid:
                people.setdefault(pid, {"person_id": pid, "name": mention, "honorific": None,
                                        "aliases": [], "n_documents": 0})
                counts[pid] = counts.get(pid, 0) + 1
        for pid, k in counts.items():
            people[pid]["n_documents"] += 1
            rows["speakers"].append({"doc_id": doc_id, "person_id": pid, "title": None,
                                     "organization_id": None, "n_quotes": k, "name": people[pid]["name"]})
    rows["people"] = list(people.values())
    return rows, failed


def write_textacy(out: Path, rows: dict[str, list[dict]]) -> None:
    """Write every contract table (empty where textacy has nothing) as Parquet."""
    import spacy
    import textacy

    out.mkdir(parents=True, exist_ok=True)
    ignore = out.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    tables = {name: to_table(name, rows.get(name, [])) for name in TABLES}
    meta = {"pipeline_version": f"textacy {textacy.__version__} (peer benchmark, pipeline {__version__})",
            "spacy_pipeline": f"{DEFAULT_MODEL} (spaCy {spacy.__version__})"}
    for name, table in tables.items():  # the single-file layout: <out>/<table>.parquet
        write_table(table, out / f"{name}.parquet", meta)


SIDE_BY_SIDE = [
    ("quotes_direct_partial", "counts", "span", "direct+partial span F1"),
    ("quotes_direct_partial", "counts", "end_to_end", "direct+partial end-to-end F1"),
    ("quotes_direct_partial", "accuracies", "attribution", "direct+partial attribution acc"),
    ("quotes_indirect", "counts", "span", "indirect span F1"),
    ("quotes_indirect", "counts", "end_to_end", "indirect end-to-end F1"),
    ("speakers", "counts", "speakers", "speakers F1"),
    ("speakers", "accuracies", "title", "speaker title acc"),
    ("speakers", "accuracies", "organization", "speaker organization acc"),
]


POLNEAR_SIDE_BY_SIDE = [
    ("quotes_direct_partial", "counts", "span", "direct+partial span F1"),
    ("quotes_direct_partial", "accuracies", "named_source", "named-source attribution acc"),
    ("quotes_indirect", "counts", "span", "indirect span F1"),
]


def _value(report, table: str, kind: str, metric: str) -> str:
    t = report.tables.get(table)
    if t is None:
        return "-"
    if kind == "counts":
        c = t.counts.get(metric)
        v = c.f1 if c is not None else None
        return "-" if v is None else f"{v:.3f} ({c.tp}/{c.n_gold} gold, {c.n_pred} pred)"
    a = t.accuracies.get(metric)
    v = a.accuracy if a is not None else None
    return "-" if v is None else f"{v:.3f} ({a.correct}/{a.total})"


def side_by_side(reports: dict[str, object], rows: list[tuple[str, str, str, str]] = SIDE_BY_SIDE) -> str:
    """One line per quote/speaker metric, one column per system."""
    names = list(reports)
    width = 34
    lines = [f"{'metric':<32}" + "".join(f"{n:<{width}}" for n in names)]
    for table, kind, metric, label in rows:
        lines.append(f"{label:<32}" + "".join(f"{_value(reports[n], table, kind, metric):<{width}}" for n in names))
    return "\n".join(lines)


# ----------------------------------------------------------------------------- dates

def _dated(text: str, found, reference) -> list[dict]:
    """Rows of the ``dates`` table from (surface text, datetime) pairs, offsets found in order."""
    rows, pos = [], 0
    for surface, when in found or []:
        start = text.find(surface, pos)
        if start < 0:
            start = text.find(surface)
        if start < 0 or when is None:
            continue
        pos = start + len(surface)
        day = when.date().isoformat()
        rows.append({"start_char": start, "end_char": start + len(surface), "text": surface, "value": day,
                     "granularity": "day", "start": day, "end": day, "kind": "absolute", "sentence_id": None})
    return rows


def dateparser_rows(text: str, reference) -> list[dict]:
    """dateparser's ``search_dates`` over the whole text, relative to the reference date."""
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": reference} if reference else {}
    try:
        return _dated(text, search_dates(text, languages=["en"], settings=settings), reference)
    except Exception:  # noqa: BLE001  a peer failing on one document counts as no dates there
        return []


def spacy_rows(nlp, text: str, reference) -> list[dict]:
    """spaCy DATE/TIME entities; value by ``dateparser.parse`` (null when it cannot)."""
    import dateparser

    settings = {"RELATIVE_BASE": reference} if reference else {}
    rows = []
    for ent in nlp(text).ents:
        if ent.label_ not in {"DATE", "TIME"}:
            continue
        when = dateparser.parse(ent.text, languages=["en"], settings=settings)
        day = when.date().isoformat() if when else None
        rows.append({"start_char": ent.start_char, "end_char": ent.end_char, "text": ent.text, "value": day,
                     "granularity": "day" if day else None, "start": day, "end": day, "kind": "absolute",
                     "sentence_id": None})
    return rows


def date_documents(paths: list[Path], timeml: Path | None) -> list[dict]:
    """(doc_id, text, reference datetime) of the TimeML files or the releases, read as the
    pipeline reads them."""
    import datetime as dt

    from pipeline.ingest.readers import read_path
    from pipeline.ingest.timeml import parse_timeml

    docs = []
    if timeml is not None:
        for f in sorted(timeml.rglob("*.tml")):
            d = parse_timeml(f.read_text(encoding="utf-8"), f.stem)
            docs.append({"doc_id": d.doc_id, "text": d.text, "reference_date": d.dct})
    for f in release_files(paths):
        for r in read_path(f):
            if hasattr(r, "text"):
                docs.append({"doc_id": r.doc_id, "text": r.text, "reference_date": r.reference_date})
    for d in docs:
        ref = d["reference_date"]
        d["reference"] = dt.datetime.fromisoformat(ref) if ref else None
    return docs


def write_date_peer(out: Path, docs: list[dict], system) -> None:
    """Write a peer's ``documents`` and ``dates`` tables (the others empty)."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for d in docs:
        rows["documents"].append({"doc_id": d["doc_id"], "source": d["doc_id"], "sha256": None, "text": d["text"],
                                  "reference_date": d["reference_date"], "published": d["reference_date"]})
        rows["dates"].extend({**r, "doc_id": d["doc_id"]} for r in system(d["text"], d["reference"]))
    write_textacy(out, rows)


def dates_main(args) -> int:
    """Score the pipeline and the two date peers side by side."""
    import spacy

    from pipeline.review.evaluate import evaluate
    from pipeline.review.timeml import evaluate_timeml

    docs = date_documents(args.releases if not args.timeml else [], args.timeml)
    nlp = spacy.load(args.model)
    peers = {"dateparser": lambda text, ref: dateparser_rows(text, ref),
             "spacy+dateparser": lambda text, ref: spacy_rows(nlp, text, ref)}
    outs = {"pipeline": args.pipeline_out}
    for name, system in peers.items():
        outs[name] = ROOT / "benchmarks" / "out" / f"dates-{name}"
        write_date_peer(outs[name], docs, system)
    print(f"{len(docs)} documents")
    if args.timeml:
        print(f"{'system':<18} {'relaxed F1':>10} {'strict F1':>10} {'value F1':>10} {'type acc':>9}")
        for name, out in outs.items():
            s = evaluate_timeml(args.timeml, out).groups["all"]
            f = [s.prf(getattr(s, m))[2] for m in ("relaxed", "strict", "value")]
            acc = s.type / s.relaxed if s.relaxed else 0.0
            print(f"{name:<18} {f[0]:>10.3f} {f[1]:>10.3f} {f[2]:>10.3f} {acc:>9.3f}")
        return 0
    print(f"{'system':<18} {'extent F1':>10} {'value F1':>10}")
    for name, out in outs.items():
        t = evaluate(args.gold, out).tables["dates"]
        print(f"{name:<18} {t.counts['extent'].f1 or 0:>10.3f} {t.counts['value'].f1 or 0:>10.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("releases", nargs="*", type=Path, default=[ROOT / "raw"], help="release .txt files or folders")
    ap.add_argument("--gold", type=Path, default=ROOT / "tests" / "gold")
    ap.add_argument("--pipeline-out", type=Path, default=ROOT / "outputs", help="the pipeline's outputs folder")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "textacy")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--run-pipeline", action="store_true", help="run the pipeline into --pipeline-out first")
    ap.add_argument("--errors", action="store_true", help="list every miss and false hit")
    ap.add_argument("--format", choices=("gold", "polnear"), default="gold",
                    help="gold: our gold JSON files; polnear: a PolNeAR part (its text/ is the releases)")
    ap.add_argument("--dates", action="store_true", help="date peers (dateparser, spaCy) instead of textacy")
    ap.add_argument("--timeml", type=Path, default=None, help="with --dates: a folder of .tml files")
    args = ap.parse_args(argv)
    if args.dates:
        return dates_main(args)

    import spacy

    from pipeline.review.evaluate import evaluate, format_report

    rows_shown = SIDE_BY_SIDE
    if args.format == "polnear":
        from pipeline.review.polnear import evaluate_polnear as evaluate

        args.releases = [args.gold / "text"]
        rows_shown = POLNEAR_SIDE_BY_SIDE
    files = release_files(args.releases)
    nlp = spacy.load(args.model)
    rows, failed = textacy_rows(nlp, files)
    write_textacy(args.out, rows)
    n_quotes = len(rows["quotes"])
    print(f"textacy direct_quotations: {n_quotes} quotes from {len(files)} releases; "
          f"gave up (ValueError, counted as no quotes) on {len(failed)}: {', '.join(failed) or '-'}")

    if args.run_pipeline:
        subprocess.run([sys.executable, "-m", "pipeline", "run", *map(str, args.releases), "-o",
                        str(args.pipeline_out), "-q", "-m", args.model], check=True, cwd=ROOT)

    reports = {"textacy": evaluate(args.gold, args.out)}
    if args.pipeline_out.is_dir():
        reports["pipeline"] = evaluate(args.gold, args.pipeline_out)
    else:
        print(f"(no pipeline outputs at {args.pipeline_out}; use --run-pipeline)")
    print()
    print(side_by_side(reports, rows_shown))
    if args.errors:
        for name, rep in reports.items():
            print(f"\n===== {name}\n{format_report(rep, errors=True)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
