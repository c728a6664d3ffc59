"""The review page's text renderer: marks nested from offsets, text search, labels.

Overlapping extractions (a date inside a quote, a statistic containing a date, a gold miss
crossing a predicted span) are rendered from offsets with a stack: marks open in document
order, longer ones outside; a mark that must close while marks opened inside it are still
running closes them and reopens them as continuation fragments. So the HTML is always well
nested and the text between tags is exactly the release text. Everything here is pure and
knows nothing of tables or gold.
"""
from __future__ import annotations

import datetime as dt
import html
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

# When two marks cover the same characters, the lower rank is the outer element. Section
# marks (boilerplate, headings) wrap everything; a speaker mention sits innermost.
RANK = {"boiler": 0, "heading": 0, "quote": 1, "miss": 2, "stat": 3, "org": 4, "date": 5,
        "speaker": 6}

# --------------------------------------------------------------------------------------
# Marks and the nesting renderer (pure)
# --------------------------------------------------------------------------------------


@dataclass
class Mark:
    """One highlighted span of a release text: offsets (end exclusive), a kind (its CSS
    class ``x-<kind>``), extra classes, HTML attributes (``title`` is the tooltip), and an
    optional inline label shown after the span (a link when ``href`` is set)."""
    start: int
    end: int
    kind: str
    classes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    label: str | None = None
    href: str | None = None
    tag: str = "mark"


def _attrs_html(attrs: Mapping[str, str | None]) -> str:
    return "".join(f' {k}="{html.escape(str(v), quote=True)}"' for k, v in attrs.items() if v is not None)


def _open_tag(m: Mark, continuation: bool) -> str:
    """Opening tag; a continuation fragment repeats classes and tooltip but not the id."""
    classes = ["x", f"x-{m.kind}", *m.classes] + (["cont"] if continuation else [])
    attrs = {k: v for k, v in m.attrs.items() if not (continuation and k == "id")}
    return f"<{m.tag}{_attrs_html({'class': ' '.join(classes), **attrs})}>"


def _close_tag(m: Mark, final: bool) -> str:
    """Closing tag; the label goes inside the last fragment, so it follows the whole span."""
    if not final or not m.label:
        return f"</{m.tag}>"
    text = html.escape(m.label)
    label = (f'<a class="lbl" href="{html.escape(m.href, quote=True)}">{text}</a>' if m.href
             else f'<span class="lbl">{text}</span>')
    return f"{label}</{m.tag}>"


def _open_order(m: Mark) -> tuple[int, int, int]:
    """Earlier first; at one start, the longer span (then the lower rank) is outer."""
    return (m.start, -m.end, RANK.get(m.kind, len(RANK)))


def render_marked(text: str, marks: Iterable[Mark]) -> str:
    """Escaped ``text`` with every mark as an element, correctly nested whatever the
    overlaps. Marks outside the text or empty are dropped. Stripping the tags and labels
    of the result gives back exactly ``html.escape(text)``."""
    valid = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)), key=_open_order)
    starts: dict[int, list[Mark]] = {}
    for m in valid:
        starts.setdefault(m.start, []).append(m)
    points = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out: list[str] = []
    stack: list[Mark] = []
    for i, p in enumerate(points):
        ending = [k for k, m in enumerate(stack) if m.end == p]
        if ending:
            reopen: list[Mark] = []
            while len(stack) > ending[0]:
                m = stack.pop()
                final = m.end == p
                out.append(_close_tag(m, final))
                if not final:
                    reopen.append(m)
            for m in reversed(reopen):
                out.append(_open_tag(m, continuation=True))
                stack.append(m)
        for m in starts.get(p, ()):
            out.append(_open_tag(m, continuation=False))
            stack.append(m)
        if i + 1 < len(points):
            out.append(html.escape(text[p:points[i + 1]]))
    return "".join(out)


# --------------------------------------------------------------------------------------
# Finding text (pure): gold misses have no offsets, speaker mentions are not stored
# --------------------------------------------------------------------------------------

_QUOTE_CLASSES = ("'‘’‚‛′", '"“”„‟″«»')


def _char_pattern(ch: str) -> str:
    for group in _QUOTE_CLASSES:
        if ch in group:
            return "[" + re.escape(group) + "]"
    return re.escape(ch)


def text_pattern(needle: str | None) -> re.Pattern[str] | None:
    """Regex finding ``needle`` as written in a text: any run of whitespace for a space,
    any typographic variant of a quote mark, any case, and not inside a longer word
    (so `2023` is not found in `20234`, nor `she` in `shelter`). None for a blank needle."""
    words = (needle or "").split()
    if not words:
        return None
    body = r"\s+".join("".join(_char_pattern(c) for c in w) for w in words)
    head = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    tail = r"(?!\w)" if re.search(r"\w$", words[-1]) else ""
    return re.compile(head + body + tail, re.IGNORECASE)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def find_text(text: str, needle: str | None, taken: Sequence[tuple[int, int]] = (),
              covered: Sequence[tuple[int, int]] = ()) -> tuple[int, int] | None:
    """Where a gold entry known only by its text most likely is: the first occurrence not
    already claimed (``taken``), preferring one the pipeline did not cover (``covered``),
    since a miss is usually where nothing of its type was predicted. None if absent."""
    pattern = text_pattern(needle)
    if pattern is None:
        return None
    free = [(m.start(), m.end()) for m in pattern.finditer(text)
            if not any(_overlaps((m.start(), m.end()), t) for t in taken)]
    for span in free:
        if not any(_overlaps(span, c) for c in covered):
            return span
    return free[0] if free else None


def find_mention(text: str, mention: str | None, lo: int, hi: int,
                 quote: tuple[int, int]) -> tuple[int, int] | None:
    """The written attribution of a quote (`Ms. Doe`, `she`) within ``text[lo:hi]`` (its
    sentence), outside the quote and nearest to it; None when it is not there."""
    pattern = text_pattern(mention)
    if pattern is None:
        return None
    best: tuple[int, tuple[int, int]] | None = None
    for m in pattern.finditer(text, lo, hi):
        span = (m.start(), m.end())
        if _overlaps(span, quote):
            continue
        distance = quote[0] - span[1] if span[1] <= quote[0] else span[0] - quote[1]
        if best is None or distance < best[0]:
            best = (distance, span)
    return best[1] if best else None


# --------------------------------------------------------------------------------------
# Labels and tooltips (pure)
# --------------------------------------------------------------------------------------

def missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == ""


def fmt_value(v: Any) -> str:
    """A number as a reader writes it: `100,000`, `2`, `0.3333`; `?` when missing."""
    if missing(v):
        return "?"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if float(v).is_integer():
            return f"{int(v):,}"
        return f"{v:.4g}"
    return str(v)


def fmt_cell(v: Any) -> str:
    """Any table value as text: dates in ISO, lists comma-joined, null as an empty string."""
    if missing(v):
        return ""
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()[:10]
    if isinstance(v, (list, tuple)):
        return ", ".join(fmt_cell(x) for x in v)
    if isinstance(v, float):
        return fmt_value(v)
    return str(v)


def tooltip(head: str, fields: Mapping[str, Any]) -> str:
    """A tooltip: a first line, then one `name: value` line per non-empty field."""
    lines = [head] + [f"{k}: {fmt_cell(v)}" for k, v in fields.items() if not missing(v)]
    return "\n".join(lines)


def date_label(row: Mapping[str, Any]) -> str | None:
    """The normalized value, with the kind when it is not a plain absolute date; None when
    the text already is the value (`2023` → `2023`), so years do not stutter on the page."""
    value = row.get("value") or "?"
    kind = row.get("kind")
    if kind in (None, "absolute"):
        return None if norm_text(value) == norm_text(row.get("text")) else value
    return f"{value} · {kind}"


def stat_label(row: Mapping[str, Any], source_width: int = 80) -> str:
    """`value unit · qualifier · subject · source: …`: every field the scorer reads."""
    head = " ".join(p for p in (fmt_value(row.get("value")), row.get("unit")) if p)
    if row.get("range_bound"):
        head += f" ({row['range_bound']})"
    parts = [head] + [row[k] for k in ("qualifier", "subject") if not missing(row.get(k))]
    source = row.get("source")
    if not missing(source):
        source = source if len(source) <= source_width else source[: source_width - 1] + "…"
        parts.append(f"source: {source}")
    return " · ".join(parts)


def quote_label(kind: str | None, speaker: str | None, mention: str | None) -> str:
    """`— Speaker Name`, with the kind when it is not `direct`; the attribution as written
    when the speaker is not a known person."""
    who = speaker or (f"{mention} (no person)" if mention else "speaker unknown")
    return f"— {who}" + (f" · {kind}" if kind and kind != "direct" else "")


def anchor(*parts: Any) -> str:
    """An HTML id from parts (doc_id, person_id …): letters, digits, `_` and `-` only."""
    return "-".join(re.sub(r"[^A-Za-z0-9_-]+", "_", str(p)) for p in parts)


def norm_text(s: Any) -> str:
    return " ".join(str(s or "").casefold().split())
