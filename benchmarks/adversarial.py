"""Adversarial timing of every extractor (not part of the test suite; it asserts nothing).

Why: releases arrive scraped, converted from PDF, truncated or huge. One rule that
backtracks or one quadratic loop turns such a release into a hung run. This script builds
inputs designed to trigger that (long runs of capitals, digits with separators, repeated
quote marks, ``of the`` repeated, nested brackets, long words, whitespace runs, near-miss
dates and numbers, ordinary prose on one line…) at 1, 10 and 100 KB, and times

- each regex-heavy pure function (ingest header, line analysis, acronym definitions, date
  and number finders, quote-mark pairing…) on the raw text, and
- each extractor component (the factories of ``pipeline.run.nlp.COMPONENTS``:
  ``release_orgs``, ``release_dates``, ``release_stats``, ``release_quotes``, the last with
  the people finder) in pipeline order, on a Doc parsed once per input kind by every other
  component (see ``parsed_doc``), and ``release_sections`` on the tokenized text.

It prints one row per (extractor, input kind, size) with seconds and seconds per KB, then
the worst seconds per KB per extractor. A rule whose time per KB grows with the size
(``s/KB`` at 100 KB more than ``GROWTH`` times that at 10 KB, and slower than ``MIN_FLAG``
seconds) is flagged ``SUPERLINEAR``. A run projected (from the smaller sizes, at the growth
they showed) to take over ``CAP`` seconds is skipped, and one running past ``TIMEOUT``
seconds is stopped; both are flagged, so the script always finishes in a few minutes.

Last, a regex audit times every pattern of the extractors (module patterns, the patterns of
cached vocabularies and data files, literal ``re.*`` calls found with ``ast``) on repeated
fragments of its own characters at 256 and 512 characters, and lists the slowest with their
growth when the input doubles: about 2 is linear; ``BACKTRACKS`` marks more than 3. Growth
under ``search`` only matters where the code searches (most patterns are matched at one
place, or on a bounded slice); the call site is printed so it can be checked.

Usage:
    python benchmarks/adversarial.py [--sizes 1 10 100] [--kinds caps_run,of_the] [--only orgs]
                                     [--no-pure] [--no-components] [--no-regex] [--brief]
"""
from __future__ import annotations

import argparse
import gc
import math
import random
import re
import signal
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extract.dates import absolute, parts, periods, relative, years  # noqa: E402
from pipeline.extract.organizations import abbreviations, candidates, spans  # noqa: E402
from pipeline.extract.organizations.gazetteer import gazetteer  # noqa: E402
from pipeline.extract.organizations.words import ReleaseText  # noqa: E402
from pipeline.extract.people.titles import acronym_map  # noqa: E402
from pipeline.extract.quotes import marks  # noqa: E402
from pipeline.extract.sections.component import analyse_lines  # noqa: E402
from pipeline.extract.stats import numerals  # noqa: E402
from pipeline.ingest import dateline, decode, header, readers  # noqa: E402
from pipeline.run.nlp import COMPONENTS, SECTIONS, build_nlp  # noqa: E402

# The extractors, by factory name (run in pipeline order). Every other component of the pipeline
# (the model's, release_sections, any other one that prepares the Doc) is parsing, not timed
# as an extractor.
EXTRACTORS = {factory for _, factory in COMPONENTS}

GROWTH = 2.5     # s/KB(100 KB) / s/KB(10 KB) above which a rule is called superlinear
MIN_FLAG = 0.05  # seconds: below this at the largest size, growth is noise
CAP = 20.0       # seconds: a run projected to take longer than this is skipped
TIMEOUT = 30.0   # seconds: a run that takes longer is stopped (and flagged)


# --------------------------------------------------------------------------- inputs

def _fill(unit: str, size: int, sep: str = "") -> str:
    """``unit`` repeated (joined by ``sep``) to about ``size`` bytes of UTF-8."""
    per = max(len((unit + sep).encode("utf-8")), 1)
    return sep.join([unit] * max(size // per, 1))


def _wrap(unit: str, size: int, width: int = 12) -> str:
    """Like ``_fill`` but with a line break every ``width`` units (many short paragraphs)."""
    per = max(len((unit + " ").encode("utf-8")), 1)
    n = max(size // per, 1)
    words = [unit] * n
    return "\n".join(" ".join(words[i:i + width]) for i in range(0, n, width))


# Ordinary prose (made up), for the inputs that are only big: a release converted from PDF is
# often one line, and a long report has many paragraphs.
PROSE = ("The Regional Migration Agency (RMA) said on 3 March 2024 that more than 1,200 migrant "
         "workers were assisted last year, up 15 percent. “Every worker deserves fair recruitment,” "
         "said Ms. Lena Ortiz, Director of the Protection Division. She stressed that one in three "
         "workers had paid illegal fees, according to the 2023 survey. He added that the agency "
         "would open 40 shelters in May.")

KINDS: dict[str, Callable[[int], str]] = {
    "prose_one_line": lambda n: _fill(PROSE, n, " "),
    "prose_paragraphs": lambda n: _fill(PROSE, n, "\n"),
    "caps_run": lambda n: _fill("UNODC ICAT IOM UNICEF OHCHR OSCE", n, " "),
    "capwords_run": lambda n: _fill("United Nations Office Drugs Crime Human Rights Council", n, " "),
    "of_the": lambda n: "Office " + _fill("of the", n, " ") + " United Nations",
    "of_the_lines": lambda n: _wrap("Office of the United Nations High Commissioner for", n, 3),
    "acronym_defs": lambda n: _fill("the United Nations Office on Drugs and Crime (UNODC) and", n, " "),
    "open_brackets": lambda n: _fill("United Nations (UN", n, " "),
    "nested_brackets": lambda n: "(" * (n // 2) + "x" + ")" * (n // 2),
    "nested_words": lambda n: _fill("(UN Office", n, " ") + ")" * (n // 11),
    "digits_commas": lambda n: _fill("1,", n),
    "digits_dots": lambda n: _fill("1.2", n, "."),
    "numbers_sep": lambda n: _fill("1,000,000.5 2 3/4 12-15", n, " "),
    "number_words": lambda n: _fill("one hundred and twenty thousand", n, " "),
    "percent": lambda n: _fill("over 35 percent of 1 in 3 per cent %", n, " "),
    "near_dates": lambda n: _fill("1 Janu 2023 12 Marc 2024 Mayday 31 Jun", n, " "),
    "date_lists": lambda n: _fill("1, 2, 3 and 4 January to 5 March 2023 -", n, " "),
    "relative_dates": lambda n: _fill("this year last month next week the past years ago", n, " "),
    "years": lambda n: _fill("2019 2020-2021 1990s 2023/24", n, " "),
    "dq_marks": lambda n: '"' * n,
    "curly_marks": lambda n: _fill("“", n),
    "mixed_marks": lambda n: _fill("“ ‘ ” ’ \" ' « »", n, " "),
    "quoted_said": lambda n: _fill("“We must act now,” she said, “together.”", n, " "),
    "quoted_said_lines": lambda n: _wrap("“We must act,” she said.", n, 3),
    "unbalanced_said": lambda n: _fill("“hello world said", n, " "),
    "straight_said": lambda n: _fill('she said "yes," he said', n, " "),
    "honorifics": lambda n: _fill("Ms. Mr. Dr. H.E. Prof.", n, " "),
    "names_titles": lambda n: _fill("Executive Director of the Office Ghana Smith,", n, " "),
    "long_word": lambda n: "a" * n,
    "long_caps_word": lambda n: "A" * n,
    "whitespace": lambda n: "word" + " \t " * (n // 3) + "word",
    "blank_lines": lambda n: _fill("Heading\n\n\n", n),
    "no_punct_line": lambda n: _fill("word", n, " "),
    "dashes": lambda n: _fill("Vienna -", n, " "),
    "slashes": lambda n: _fill("UNIS/CP/900", n, " "),
}


# --------------------------------------------------------------------------- timing

@dataclass
class Row:
    extractor: str
    kind: str
    kb: float
    seconds: float | None  # None: skipped (projected past CAP) or stopped after TIMEOUT
    timed_out: bool = False

    @property
    def per_kb(self) -> float | None:
        return None if self.seconds is None else self.seconds / max(self.kb, 1e-9)


class Overrun(Exception):
    """A call ran past ``TIMEOUT`` seconds and was stopped."""


def _alarm(signum, frame):  # noqa: ARG001
    raise Overrun()


def _timed(fn: Callable[[], object], collect: bool = True) -> float | None:
    """Seconds of one call, with the garbage collector paused (a full collection that falls
    inside one call would look like superlinear growth); None if it ran past ``TIMEOUT``
    seconds (a SIGALRM stops it; a single regex match would not be stopped, but none of ours
    runs that long)."""
    if collect:
        gc.collect()
    gc.disable()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT)
    try:
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0
    except Overrun:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        gc.enable()


def _time(fn: Callable[[], object], min_total: float = 0.05) -> float | None:
    """Seconds per call: the best of a few calls, so the figure is not timer noise."""
    best = _timed(fn)
    if best is None:
        return None
    total, runs = best, 1
    while total < min_total and runs < 20:
        dt = _timed(fn, collect=False) or best
        best, total, runs = min(best, dt), total + dt, runs + 1
    return best


class Projector:
    """Decides whether the next, larger run of one extractor on one input kind is worth
    waiting for: it projects the time from the previous runs at their growth rate."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, float]] = []  # (KB, seconds)

    def exponent(self) -> float:
        """Growth exponent of time with size between the last two runs (1 = linear)."""
        if len(self.seen) < 2:
            return 1.0
        (k1, t1), (k2, t2) = self.seen[-2:]
        if t1 <= 0.01 or t2 <= 0.01 or k2 <= k1:
            return 1.0
        return max(1.0, math.log(t2 / t1) / math.log(k2 / k1))

    def too_slow(self, kb: float) -> bool:
        if not self.seen:
            return False
        k, t = self.seen[-1]
        return t * (kb / k) ** self.exponent() > CAP

    def add(self, kb: float, seconds: float) -> None:
        self.seen.append((kb, seconds))


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def _fresh(fn: Callable[[str], object]) -> Callable[[str], object]:
    """``fn`` called on a new :class:`ReleaseText` of the text at every call.

    The organization steps keep what they derive from a whole release (its words, name runs,
    all-caps lines) on the ``ReleaseText`` that ``release_orgs`` builds once per Doc, not in
    module caches. A new one per call is what one release costs: reusing one would measure a
    cache hit, and a plain ``str`` would derive them again at every lookup, which the
    component never does. (To the other functions a ``ReleaseText`` is a plain ``str``.)"""
    def call(text: str) -> object:
        return fn(ReleaseText(text))
    return call


def pure_functions() -> dict[str, Callable[[str], object]]:
    """Regex-heavy pure functions, each called on the whole adversarial text."""
    gaz = gazetteer()
    tokens = lambda t: t.split()[:2000]  # noqa: E731  number parsers see one token at a time
    return {name: _fresh(fn) for name, fn in {
        "ingest.normalize+check": lambda t: readers.check_text(decode.normalize_text(t), "x"),
        "ingest.parse_header": header.parse_header,
        "ingest.dateline_prefix": lambda t: dateline.parse_dateline_prefix(_first_line(t)),
        "sections.analyse_lines": analyse_lines,
        "abbrev.find_definitions": abbreviations.find_definitions,
        "abbrev.find_acronym": lambda t: abbreviations.find_acronym(t, "UN"),
        "orgs.name_runs": spans.name_runs,
        "orgs.ngo_patterns": candidates.ngo_pattern_spans,
        "orgs.gazetteer_names": lambda t: gaz.index.find(t),
        "orgs.gazetteer_acronyms": gaz.find_acronyms,
        "people.acronym_map": acronym_map,
        "dates.absolute": absolute.find_absolute_dates,
        "dates.parts": parts.find_date_parts,
        "dates.relative": relative.find_relative,
        "dates.vague": relative.find_vague,
        "dates.years": years.find_year_numbers,
        "dates.durations": periods.find_durations,
        "dates.sets": periods.find_sets,
        "dates.ago": periods.find_ago,
        "dates.parse_date": lambda t: absolute.parse_date(t[:200]),
        "stats.parse_digits": lambda t: [numerals.parse_digits(w) for w in tokens(t)] + [numerals.parse_digits(t)],
        "stats.split_range": lambda t: [numerals.split_range(w) for w in tokens(t)] + [numerals.split_range(t)],
        "stats.words_to_number": lambda t: numerals.words_to_number(tokens(t)),
        "quotes.find_quote_spans": marks.find_quote_spans,
        "quotes.text_blocks": marks.text_blocks,
    }.items()}


def run_pure(sizes: list[int], kinds: dict[str, Callable[[int], str]], only: str | None) -> list[Row]:
    rows: list[Row] = []
    for fname, fn in pure_functions().items():
        if only and only not in fname:
            continue
        for kind, make in kinds.items():
            proj = Projector()
            for kb in sizes:
                text = make(kb * 1024)
                size = len(text.encode("utf-8")) / 1024
                if proj.too_slow(size):
                    rows.append(Row(fname, kind, size, None))
                    continue
                sec = _time(lambda: fn(text))
                rows.append(Row(fname, kind, size, sec, timed_out=sec is None))
                if sec is None:
                    proj.add(size, 10 * TIMEOUT)  # nothing larger is worth trying
                else:
                    proj.add(size, sec)
        print(f"  … {fname} done", file=sys.stderr, flush=True)
    return rows


warnings.filterwarnings("ignore", message=r"\[W102\]")  # Doc.from_docs skips our cached text
PARSE_LIMIT_KB = 10  # the model parses at most this much per input kind (see run_components)


def parsed_doc(nlp, make: Callable[[int], str], kb: int, cache: dict):
    """A Doc of about ``kb`` KB through every component that is not an extractor (the model's,
    ``release_sections`` and any other that prepares the Doc; see ``EXTRACTORS``).

    Up to ``PARSE_LIMIT_KB`` the text is parsed as such. Larger Docs are copies of the
    parsed ``PARSE_LIMIT_KB`` Doc joined with ``Doc.from_docs``: the model costs about
    0.3 ms per token whatever we do (100 KB of one-character tokens is half a minute), and
    our components only need one long Doc to show how they scale. The pure functions see
    the true text at every size.
    """
    from spacy.tokens import Doc

    if kb <= PARSE_LIMIT_KB:
        if kb not in cache:
            doc = nlp.make_doc(make(kb * 1024))
            for name, proc in nlp.pipeline:
                if name not in EXTRACTORS:
                    doc = proc(doc)
            cache[kb] = doc
        base = cache[kb]
        return Doc.from_docs([base])
    base = parsed_doc(nlp, make, PARSE_LIMIT_KB, cache)
    copies = max(round(kb / PARSE_LIMIT_KB), 1)
    return Doc.from_docs([base] * copies, ensure_whitespace=True)


def run_components(sizes: list[int], kinds: dict[str, Callable[[int], str]], only: str | None) -> list[Row]:
    """Time the extractors (``EXTRACTORS``) in pipeline order on Docs parsed once per kind,
    and ``release_sections`` on the tokenized text."""
    try:
        nlp = build_nlp(budget=0)  # no time budget: the components are timed as they are
    except TypeError:  # a pipeline without budgets
        nlp = build_nlp()
    nlp.max_length = max(nlp.max_length, 2_000_000)
    inner = lambda proc: getattr(proc, "component", proc)  # noqa: E731  unwrap release_budget
    ours = [(n, inner(p)) for n, p in nlp.pipeline if n in EXTRACTORS]
    sections = inner(nlp.get_pipe(SECTIONS[1]))
    gc.freeze()  # the model's objects too
    rows: list[Row] = []
    for kind, make in kinds.items():
        proj = {name: Projector() for name, _ in ours + [("release_sections", None)]}
        cache: dict = {}
        for kb in sizes:
            doc = parsed_doc(nlp, make, kb, cache)
            size = len(doc.text.encode("utf-8")) / 1024
            doc._.doc_id = "adversarial"
            doc._.reference_date = "2023-11-08"
            # release_sections runs before the parser and needs tokens only: it is timed on
            # the tokenized text of the same size
            fresh = nlp.make_doc(doc.text)
            steps = [("release_sections", sections, fresh)] + [(n, p, doc) for n, p in ours]
            for name, proc, target in steps:
                if only and only not in name:
                    continue
                if proj[name].too_slow(size):
                    rows.append(Row(name, kind, size, None))
                    continue
                sec = _timed(lambda: proc(target))
                rows.append(Row(name, kind, size, sec, timed_out=sec is None))
                proj[name].add(size, 10 * TIMEOUT if sec is None else sec)
            print(f"  … {kind} {kb} KB done", file=sys.stderr, flush=True)
    return rows


# --------------------------------------------------------------------------- regex audit

AUDIT_PACKAGES = ("pipeline.ingest", "pipeline.extract")  # every module in them is audited
REGEX_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def _patterns_in(value, found: dict, where: str, depth: int = 0) -> None:
    """Collect compiled patterns held by ``value`` (a pattern, or containers of them)."""
    if depth > 3:
        return
    if isinstance(value, re.Pattern):
        found.setdefault((value.pattern, value.flags), (value, where))
    elif isinstance(value, dict):
        for k, v in value.items():
            _patterns_in(v, found, f"{where}[{k!r}]", depth + 1)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _patterns_in(v, found, f"{where}[{i}]", depth + 1)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        for k, v in vars(value).items():
            _patterns_in(v, found, f"{where}.{k}", depth + 1)


def audit_modules() -> list[tuple[str, object]]:
    """(short name, module) of every module of ``AUDIT_PACKAGES``: ``ingest.header``,
    ``dates.absolute``, ``organizations.spans``…"""
    import importlib
    import pkgutil

    out = []
    for pkg_name in AUDIT_PACKAGES:
        pkg = importlib.import_module(pkg_name)
        for info in pkgutil.walk_packages(pkg.__path__, pkg_name + "."):
            if info.ispkg:
                continue
            short = info.name.removeprefix("pipeline.").removeprefix("extract.")
            out.append((short, importlib.import_module(info.name)))
    return out


def collect_patterns() -> dict:
    """Every regex of the extractors: module-level patterns, patterns built by cached
    zero-argument functions (date vocabularies, sections data, the gazetteer's acronyms), and
    literal patterns passed to ``re.*`` calls in the source (found with ``ast``)."""
    import ast
    import inspect

    found: dict = {}
    for name, mod in audit_modules():
        for attr, value in vars(mod).items():
            if isinstance(value, re.Pattern):
                _patterns_in(value, found, f"{name}.{attr}")
            elif callable(value) and hasattr(value, "cache_info") and getattr(value, "__module__", "") == mod.__name__:
                try:
                    if not inspect.signature(value).parameters:
                        _patterns_in(value(), found, f"{name}.{attr}()")
                except (TypeError, ValueError):
                    pass
        tree = ast.parse(inspect.getsource(mod))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in REGEX_CALLS and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                continue
            src = ast.unparse(node)
            flags = re.I if ("re.I" in src or "IGNORECASE" in src) else 0
            try:
                pat = re.compile(node.args[0].value, flags)
            except re.error:
                continue
            found.setdefault((pat.pattern, pat.flags), (pat, f"{name}:{node.lineno}"))
    return found


def _units(pattern: str) -> list[str]:
    """Short strings to repeat: the pattern's own literal characters, alone and in pairs,
    plus word, digit, space and punctuation characters."""
    chars = sorted({c for c in re.sub(r"\\[a-zA-Z]", "", pattern) if c.isprintable()} | set("aA1 .-@"))
    rng = random.Random(len(pattern) * 7919 + sum(map(ord, pattern)))
    units = chars + ["".join(rng.sample(chars, 2)) for _ in range(12)] + \
        ["".join(rng.sample(chars, 3)) for _ in range(8)] + ["a1", "A ", "a.", "1,", "a@b.", " \t"]
    return list(dict.fromkeys(units))


def _regex_time(fn, text: str) -> float:
    t0 = time.perf_counter()
    fn(text)
    return time.perf_counter() - t0


def regex_audit(small: int = 256, large: int = 512) -> list[tuple[str, str, str, float, float]]:
    """Time each pattern on repeated units of ``small`` and ``large`` characters, with a tail
    that makes a match fail late. A pattern whose time grows more than 3x when the input
    doubles (and takes over 2 ms) backtracks: (where, mode, unit, seconds, growth) rows."""
    rows = []
    for (source, flags), (pat, where) in collect_patterns().items():
        worst = None
        for unit in _units(source):
            for tail in ("", "!", " x", "\n"):
                for mode, fn in (("match", pat.match), ("search", pat.search)):
                    a = unit * (small // len(unit)) + tail
                    b = unit * (large // len(unit)) + tail
                    ta = min(_regex_time(fn, a) for _ in range(2))
                    if ta < 2e-4:
                        continue
                    tb = min(_regex_time(fn, b) for _ in range(2))
                    growth = tb / max(ta, 1e-9)
                    if worst is None or (tb, growth) > (worst[3], worst[4]):
                        worst = (where, mode, repr(unit + tail), tb, growth)
        if worst is not None:
            rows.append(worst)
    return sorted(rows, key=lambda r: -r[3])


def report_regex(rows, limit: int = 15) -> None:
    print(f"Regex audit: slowest patterns on {512}-character adversarial input "
          "(growth = time ratio when the input doubles; linear is about 2)")
    print(f"{'pattern (module:line or name)':44s} {'mode':6s} {'input unit':16s} {'seconds':>9s} {'growth':>7s}")
    for where, mode, unit, sec, growth in rows[:limit]:
        flag = "  BACKTRACKS" if growth > 3 and sec > 2e-3 else ""
        print(f"{where[:44]:44s} {mode:6s} {unit[:16]:16s} {sec:9.5f} {growth:7.1f}{flag}")


# --------------------------------------------------------------------------- report

def flags(rows: list[Row]) -> dict[tuple[str, str], str]:
    """``SUPERLINEAR`` for every (extractor, kind) whose s/KB grows with size, or was capped."""
    by: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        by.setdefault((r.extractor, r.kind), []).append(r)
    out = {}
    for key, rs in by.items():
        rs.sort(key=lambda r: r.kb)
        done = [r for r in rs if r.seconds is not None]
        if any(r.timed_out for r in rs):
            out[key] = f"SUPERLINEAR (stopped after {TIMEOUT:g} s)"
            continue
        if len(done) < len(rs):
            p = Projector()
            for r in done:
                p.add(r.kb, r.seconds)
            grow = p.exponent()
            out[key] = (f"SUPERLINEAR (time ~ size^{grow:.1f}; larger sizes skipped)" if grow > 1.3
                        else "slow (larger sizes skipped)")
            continue
        rs = done
        if len(rs) >= 2:
            a, b = rs[-2], rs[-1]
            if b.seconds > MIN_FLAG and a.per_kb > 0 and b.per_kb / a.per_kb > GROWTH:
                out[key] = f"SUPERLINEAR (x{b.per_kb / a.per_kb:.1f} s/KB)"
    return out


def report(rows: list[Row], verbose: bool) -> None:
    fl = flags(rows)
    if verbose:
        print(f"{'extractor':26s} {'input kind':18s} {'KB':>7s} {'seconds':>9s} {'s/KB':>9s}")
        for r in rows:
            sec = ("timeout" if r.timed_out else "skipped") if r.seconds is None else f"{r.seconds:9.4f}"
            pkb = "" if r.per_kb is None else f"{r.per_kb:9.5f}"
            mark = fl.get((r.extractor, r.kind), "") if r.kb == max(x.kb for x in rows if
                                                                   (x.extractor, x.kind) == (r.extractor, r.kind)) else ""
            print(f"{r.extractor:26s} {r.kind:18s} {r.kb:7.1f} {sec:>9s} {pkb:>9s} {mark}")
        print()
    print("Worst seconds per KB per extractor")
    print(f"{'extractor':26s} {'worst s/KB':>10s} {'at (kind, KB)':32s} flags")
    names = list(dict.fromkeys(r.extractor for r in rows))
    for name in names:
        rs = [r for r in rows if r.extractor == name and r.seconds is not None]
        worst = max(rs, key=lambda r: r.per_kb)
        bad = sorted({k for (e, k), v in fl.items() if e == name})
        note = ("SUPERLINEAR: " + ", ".join(bad)) if bad else "linear"
        print(f"{name:26s} {worst.per_kb:10.5f} {worst.kind + ', ' + format(worst.kb, '.0f'):32s} {note}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100], help="sizes in KB")
    ap.add_argument("--kinds", default="", help="comma-separated input kinds (default: all)")
    ap.add_argument("--only", default=None, help="substring of the extractor names to run")
    ap.add_argument("--no-components", action="store_true", help="pure functions only")
    ap.add_argument("--no-pure", action="store_true", help="spaCy components only")
    ap.add_argument("--no-regex", action="store_true", help="skip the regex audit")
    ap.add_argument("--brief", action="store_true", help="print only the summary")
    args = ap.parse_args()
    kinds = {k: KINDS[k] for k in args.kinds.split(",")} if args.kinds else KINDS
    t0 = time.perf_counter()
    gc.freeze()  # what is loaded so far is never garbage: each timing's collection stays cheap
    rows: list[Row] = []
    if not args.no_pure:
        rows += run_pure(args.sizes, kinds, args.only)
    if not args.no_components:
        rows += run_components(args.sizes, kinds, args.only)
    if rows:
        report(rows, verbose=not args.brief)
    if not args.no_regex and not args.only:
        print()
        report_regex(regex_audit())
    print(f"\n{len(kinds)} input kinds x sizes {args.sizes} KB in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
