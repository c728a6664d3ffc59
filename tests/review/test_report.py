"""The HTML review page: nesting, escaping and gold marks on tiny inline rows; the CLI; and
the page of the seed outputs rendered in headless Chromium."""
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.review.report import (
    Mark, Release, anchor, apply_gold, build_page, date_label, find_mention, find_text,
    fmt_value, quote_label, release_marks, render_marked, stat_label, text_pattern,
)
from pipeline.run.tables import read_table, to_table

from tests.conftest import RAW

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold"
VOID = {"meta", "input", "br", "img", "hr", "link"}


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------

class _Checker(HTMLParser):
    """Fails on badly nested tags; collects the text outside inline labels."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        in_label = any(lbl for _, lbl in self.stack) or "lbl" in (dict(attrs).get("class") or "").split()
        self.stack.append((tag, in_label))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        if not any(lbl for _, lbl in self.stack):
            self.text.append(data)


def check(fragment: str) -> str:
    """Assert the fragment is well nested; return its text without the labels."""
    c = _Checker()
    c.feed(fragment)
    c.close()
    assert not c.errors, c.errors
    assert not c.stack, f"unclosed: {c.stack}"
    return "".join(c.text)


def tree(fragment: str):
    return lxml.html.fragment_fromstring(fragment, create_parent="div")


def has_class(el, cls: str) -> bool:
    return cls in (el.get("class") or "").split()


def marks_of(root, cls: str, fragments: bool = False):
    found = [el for el in root.iter() if has_class(el, cls)]
    return found if fragments else [el for el in found if not has_class(el, "cont")]


# A release of my own: a quote with a date and a statistic inside it, an organization
# defined with its acronym, a boilerplate section with a heading.
TEXT = ("“Forced labour has doubled since 2019,” said Mr. Tomas Reyes, Director of the "
        "World Labour Office (WLO).\nAbout WLO\nWLO works in 40 countries.")


def span(needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = TEXT.index(needle, i + 1)
    return i, i + len(needle)


def sample_release() -> Release:
    line1_end = TEXT.index("\n")
    heading = span("About WLO")
    last = (heading[1] + 1, len(TEXT))
    q = span("Forced labour has doubled since 2019,")
    return Release(
        doc={"doc_id": "rel-1", "title": "Forced labour doubles", "text": TEXT,
             "reference_date": "2024-05-02"},
        sentences=[
            {"start_char": 0, "end_char": line1_end, "is_boilerplate": False, "is_heading": False},
            {"start_char": heading[0], "end_char": heading[1], "is_boilerplate": True, "is_heading": True},
            {"start_char": last[0], "end_char": last[1], "is_boilerplate": True, "is_heading": False},
        ],
        quotes=[{"quote_id": 0, "start_char": q[0], "end_char": q[1], "text": TEXT[q[0]:q[1]],
                 "kind": "direct", "speaker_id": "tomas-reyes", "speaker_mention": "Mr. Tomas Reyes",
                 "cue": "say"}],
        speakers=[{"doc_id": "rel-1", "person_id": "tomas-reyes", "title": "Director",
                   "organization_id": "wlo", "n_quotes": 1}],
        mentions=[{"org_id": "wlo", "start_char": s, "end_char": e, "text": TEXT[s:e], "method": "definition"}
                  for s, e in (span("World Labour Office"), span("WLO", 0), span("WLO", 1), span("WLO", 2))],
        dates=[{"start_char": span("2019")[0], "end_char": span("2019")[1], "text": "2019",
                "value": "2019", "kind": "absolute", "granularity": "year"}],
        statistics=[{"start_char": span("doubled")[0], "end_char": span("doubled")[1], "text": "doubled",
                     "value": 2.0, "unit": "multiple", "qualifier": None, "subject": "forced labour",
                     "source": None}],
        people={"tomas-reyes": {"person_id": "tomas-reyes", "name": "Tomas Reyes"}},
        orgs={"wlo": {"org_id": "wlo", "name": "World Labour Office", "acronym": "WLO"}},
    )


# --------------------------------------------------------------------------------------
# the nesting renderer
# --------------------------------------------------------------------------------------

def test_a_date_inside_a_quote_is_nested_inside_it():
    text = "He said: Ends on 8 May 2024 at noon. Done."
    marks = [Mark(9, 36, "quote", label="— A. Speaker"), Mark(17, 27, "date", label="2024-05-08")]
    out = render_marked(text, marks)
    assert check(out) == text
    root = tree(out)
    (quote,) = marks_of(root, "x-quote")
    (date,) = marks_of(root, "x-date")
    assert date.getparent() is quote
    assert date.text_content() == "8 May 20242024-05-08"  # the span, then its label
    assert quote.findall(".//span[@class='lbl']")[-1].text == "— A. Speaker"


def test_crossing_spans_are_split_into_well_nested_fragments():
    text = "abcdefghijklmnopqrst"
    marks = [Mark(0, 10, "quote", label="Q"), Mark(5, 15, "stat", label="S", attrs={"id": "s1"})]
    out = render_marked(text, marks)
    assert check(out) == text
    root = tree(out)
    frags = marks_of(root, "x-stat", fragments=True)
    assert [f.text_content() for f in frags] == ["fghij", "klmnoS"]
    assert has_class(frags[1], "cont") and not has_class(frags[0], "cont")
    # the id stays on the first fragment only, the label on the last one
    assert [f.get("id") for f in frags] == ["s1", None]
    assert out.count(">S<") == 1 and out.count(">Q<") == 1


def test_same_extent_nests_by_rank_and_longer_spans_are_outer():
    text = "UNODC said so"
    out = render_marked(text, [Mark(0, 5, "org"), Mark(0, 5, "quote"), Mark(0, 13, "boiler", tag="span")])
    assert check(out) == text
    assert out.startswith('<span class="x x-boiler"><mark class="x x-quote"><mark class="x x-org">UNODC')


def test_many_overlaps_stay_well_nested_and_keep_the_text():
    text = "0123456789" * 4
    marks = [Mark(s, e, k) for s, e, k in [(0, 30, "quote"), (5, 12, "date"), (10, 20, "stat"),
                                           (15, 35, "org"), (18, 19, "speaker"), (25, 40, "miss"),
                                           (3, 3, "date"), (38, 99, "date")]]
    out = render_marked(text, marks)
    assert check(out) == text
    assert "x-speaker" in out
    assert out.count('class="x x-date"') == 1  # the empty and the out-of-range ones are dropped


def test_text_and_attributes_are_escaped():
    text = 'Say <script>alert("x")</script> & go'
    out = render_marked(text, [Mark(4, 31, "quote", attrs={"title": 'a "b" <c>'}, label="<i>",
                                    href='#x"y')])
    assert "<script>" not in out and "<i>" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out
    assert 'title="a &quot;b&quot; &lt;c&gt;"' in out
    assert 'href="#x&quot;y"' in out
    assert check(out) == text


# --------------------------------------------------------------------------------------
# finding text, labels
# --------------------------------------------------------------------------------------

def test_text_pattern_allows_typographic_quotes_spacing_and_case_but_not_word_parts():
    p = text_pattern("the partners' \"Action\"  plan")
    assert p.search("The partners’ “action”\nplan")
    assert text_pattern("she").search("in the shelter") is None
    assert text_pattern("2023").search("code 20234") is None
    assert text_pattern("   ") is None


def test_find_text_prefers_an_occurrence_nothing_covers():
    text = "In 2021 and again in 2021."
    first, second = (3, 7), (21, 25)
    assert find_text(text, "2021") == first
    assert find_text(text, "2021", covered=[first]) == second
    assert find_text(text, "2021", taken=[second], covered=[first]) == first
    assert find_text(text, "2022") is None


def test_find_mention_takes_the_nearest_one_outside_the_quote():
    text = "She met her. “She is late,” she said."
    quote = (13, 26)
    assert find_mention(text, "she", 0, len(text), quote) == (28, 31)
    assert find_mention(text, "Mr. Nobody", 0, len(text), quote) is None


def test_labels_show_the_fields_a_reviewer_checks():
    assert fmt_value(100000.0) == "100,000" and fmt_value(0.3333) == "0.3333" and fmt_value(None) == "?"
    assert stat_label({"value": 35.0, "unit": "percent", "qualifier": "approximately",
                       "subject": "victims", "source": "a national survey"}) == \
        "35 percent · approximately · victims · source: a national survey"
    assert stat_label({"value": 3.0, "unit": "count", "range_bound": "low"}) == "3 count (low)"
    assert date_label({"text": "last May", "value": "2023-05", "kind": "relative"}) == "2023-05 · relative"
    assert date_label({"text": "8 May 2024", "value": "2024-05-08", "kind": "absolute"}) == "2024-05-08"
    assert date_label({"text": "2024", "value": "2024", "kind": "absolute"}) is None
    assert quote_label("partial", "Ana Ruiz", "she") == "— Ana Ruiz · partial"
    assert quote_label("indirect", None, "The ministry") == "— The ministry (no person) · indirect"
    assert anchor("sp", "doc 1", "a/b") == "sp-doc_1-a_b"


# --------------------------------------------------------------------------------------
# one release: marks and gold issues
# --------------------------------------------------------------------------------------

def test_release_marks_highlight_every_extraction_and_link_the_quote_to_its_speaker():
    r = sample_release()
    out = render_marked(r.text, release_marks(r))
    assert check(out) == TEXT
    root = tree(out)
    (quote,) = marks_of(root, "x-quote")
    assert [d.get("data-value") for d in quote.iter("mark") if has_class(d, "x-date")] == ["2019"]
    assert [s.text_content() for s in quote.iter("mark") if has_class(s, "x-stat")] == \
        ["doubled2 multiple · forced labour"]
    link = quote.findall(".//a[@class='lbl']")[-1]
    assert link.get("href") == "#sp-rel-1-tomas-reyes" and link.text == "— Tomas Reyes"
    (speaker,) = marks_of(root, "x-speaker")
    assert speaker.text_content() == "Mr. Tomas Reyes"
    assert [o.text_content() for o in marks_of(root, "x-org")] == ["World Labour Office", "WLO", "WLO", "WLO"]
    assert [b.text_content() for b in marks_of(root, "x-boiler")] == ["About WLO", "WLO works in 40 countries."]
    assert [h.text_content() for h in marks_of(root, "x-heading")] == ["About WLO"]


def test_gold_issues_are_marked_where_they_are():
    r = sample_release()
    marks = release_marks(r)
    issues = [
        {"table": "statistics", "kind": "false_hit", "doc_id": "rel-1", "text": "doubled",
         "start_char": span("doubled")[0]},
        {"table": "dates", "kind": "mismatch", "doc_id": "rel-1", "text": "2019", "field": "value",
         "gold": "2018", "pred": "2019", "pred_text": "2019", "start_char": span("2019")[0]},
        {"table": "statistics", "kind": "miss", "doc_id": "rel-1", "text": "40 countries"},
        {"table": "organizations", "kind": "false_hit", "doc_id": "rel-1", "text": "World Labour Office"},
        {"table": "quotes_direct_partial", "kind": "miss", "doc_id": "rel-1", "text": "words nobody wrote"},
    ]
    notes = apply_gold(r, marks, issues)
    out = render_marked(r.text, marks)
    assert check(out) == TEXT
    root = tree(out)
    (stat,) = marks_of(root, "x-stat")
    assert has_class(stat, "g-fh") and "not in gold" in stat.text_content()
    (date,) = marks_of(root, "x-date")
    assert has_class(date, "g-mm") and "≠ gold value: 2018" in date.text_content()
    (miss,) = marks_of(root, "x-miss")
    assert miss.text_content().startswith("40 countries") and has_class(miss, "m-stat")
    assert all(has_class(o, "g-fh") for o in marks_of(root, "x-org"))
    # every placed issue links to an element of the text; the unplaceable one does not
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert [n.target in ids for n in notes[:4]] == [True] * 4
    assert notes[4].target is None


def test_a_missed_organization_shown_as_name_and_acronym_is_found_by_either():
    r = sample_release()
    r.mentions = []
    marks = release_marks(r)
    notes = apply_gold(r, marks, [{"table": "organizations", "kind": "miss", "doc_id": "rel-1",
                                   "text": "Labour Office of the World (WLO)"}])
    (miss,) = [m for m in marks if m.kind == "miss"]
    assert TEXT[miss.start:miss.end] == "WLO" and notes[0].target


# --------------------------------------------------------------------------------------
# the whole page
# --------------------------------------------------------------------------------------

def sample_tables() -> dict:
    r = sample_release()
    return {"documents": [r.doc], "sentences": [{**s, "doc_id": "rel-1"} for s in r.sentences],
            "quotes": [{**q, "doc_id": "rel-1"} for q in r.quotes], "speakers": r.speakers,
            "people": list(r.people.values()), "organizations": list(r.orgs.values()),
            "organization_mentions": [{**m, "doc_id": "rel-1"} for m in r.mentions],
            "dates": [{**d, "doc_id": "rel-1"} for d in r.dates],
            "statistics": [{**s, "doc_id": "rel-1"} for s in r.statistics],
            "errors": [{"doc_id": "bad", "source": "raw/bad.txt", "stage": "ingest",
                        "message": "cannot decode <bytes>"}]}


def test_the_page_is_self_contained_escaped_and_its_links_resolve():
    tables = sample_tables()
    tables["documents"][0]["title"] = "Forced <b>labour</b>"
    page = build_page(tables, source="out/")
    for banned in ("<script", " src=", "<link", "@import", "url(", "http://", "https://"):
        assert banned not in page, banned
    assert "Forced &lt;b&gt;labour&lt;/b&gt;" in page and "cannot decode &lt;bytes&gt;" in page
    root = lxml.html.document_fromstring(page)
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    hrefs = {a.get("href") for a in root.iter("a")}
    assert hrefs and all(h.startswith("#") and h[1:] in ids for h in hrefs)
    assert "#doc-rel-1" in hrefs and "#sp-rel-1-tomas-reyes" in hrefs


def test_an_empty_corpus_gives_a_page_that_says_so():
    page = build_page({"documents": []})
    assert "No releases" in page and "Releases (0)" in page


def test_a_page_with_a_gold_report_shows_scores_and_each_releases_issues():
    report = {"n_docs": 1, "gold_dir": "g/", "tables": {
        "statistics": {"label": "statistics", "counts": {"extent": {"precision": 0.5, "recall": 1.0,
                                                                    "f1": 0.667, "n_gold": 1, "n_pred": 2, "tp": 1}},
                       "accuracies": {}, "issues": [{"table": "statistics", "kind": "miss", "doc_id": "rel-1",
                                                      "text": "40 countries"}]},
        "documents": {"label": "documents", "counts": {},
                      "accuracies": {"title": {"correct": 0, "total": 1, "accuracy": 0.0}},
                      "issues": [{"table": "documents", "kind": "mismatch", "doc_id": "rel-1", "text": "T",
                                  "field": "title", "gold": "Gold title", "pred": "Forced labour doubles"}]}}}
    page = build_page(sample_tables(), report)
    root = lxml.html.document_fromstring(page)
    scores = root.get_element_by_id("scores")
    assert "0.667" in scores.text_content()
    article = root.get_element_by_id("doc-rel-1")
    box = [el for el in article.iter() if has_class(el, "gold-box")][0]
    assert "missed" in box.text_content() and "40 countries" in box.text_content()
    assert "≠ gold: Gold title" in article.text_content()
    assert marks_of(article, "x-miss")


def test_a_release_without_a_gold_file_is_not_annotated():
    tables = sample_tables()
    tables["documents"].append({"doc_id": "rel-2", "title": "Second release", "text": "Nothing here."})
    report = {"n_docs": 1, "doc_ids": ["rel-1"], "gold_dir": "g/", "tables": {
        "statistics": {"label": "statistics", "counts": {}, "accuracies": {}, "issues": []}}}
    root = lxml.html.document_fromstring(build_page(tables, report))
    annotated, other = root.get_element_by_id("doc-rel-1"), root.get_element_by_id("doc-rel-2")
    assert "no miss, no false hit" in annotated.text_content()
    assert "not annotated" in other.text_content() and "no miss" not in other.text_content()
    rows = {tr.text_content().split("rel-")[1][:1]: tr.text_content()
            for tr in root.get_element_by_id("index").iter("tr") if "rel-" in tr.text_content()}
    assert "not annotated" in rows["2"] and "not annotated" not in rows["1"]


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------

def write_folder_layout(out: Path, tables: dict) -> None:
    """Tables in the folder-per-table layout (<out>/<table>/part-00000.parquet)."""
    for name, rows in tables.items():
        (out / name).mkdir(parents=True)
        pq.write_table(to_table(name, rows), out / name / "part-00000.parquet")


def test_cli_writes_the_page_to_pred_by_default(tmp_path):
    out = tmp_path / "out"
    write_folder_layout(out, sample_tables())
    assert read_table(out, "documents").num_rows == 1
    result = CliRunner().invoke(app, ["report", "--pred", str(out)])
    assert result.exit_code == 0, result.output
    page = out / "report.html"
    assert str(page) in result.output
    assert "Forced labour doubles" in page.read_text(encoding="utf-8")


def test_cli_with_gold_on_the_seed_outputs(seed_outputs, tmp_path):
    out, _ = seed_outputs
    dest = tmp_path / "sub" / "page.html"
    result = CliRunner().invoke(app, ["report", "-p", str(out), "-g", str(GOLD), "-o", str(dest)])
    assert result.exit_code == 0, result.output
    page = dest.read_text(encoding="utf-8")
    assert 'id="scores"' in page and page.count('class="release"') == read_table(out, "documents").num_rows


def test_cli_refuses_a_folder_without_tables_and_a_missing_gold(tmp_path, seed_outputs):
    result = CliRunner().invoke(app, ["report", "--pred", str(tmp_path)])
    assert result.exit_code == 2 and "no output tables" in result.output
    result = CliRunner().invoke(app, ["report", "--pred", str(tmp_path / "nope")])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["report", "--pred", str(seed_outputs[0]), "--gold", str(tmp_path / "nope"),
                                      "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and not (tmp_path / "r.html").exists()


# --------------------------------------------------------------------------------------
# a real browser
# --------------------------------------------------------------------------------------

def chromium(candidates: tuple[str, ...] = ("chromium", "/usr/bin/chromium")) -> str:
    """The browser's path; skip when there is none, unless PIPELINE_REQUIRE_BROWSER=1 (CI)."""
    exe = next((found for c in candidates if (found := shutil.which(c))), None)
    if exe is None:
        reason = "headless Chromium not installed (Debian package `chromium`; .ci/run installs it)"
        if os.environ.get("PIPELINE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " but PIPELINE_REQUIRE_BROWSER=1")
        pytest.skip(reason)
    return exe


def test_a_missing_browser_skips_unless_ci_requires_it(monkeypatch):
    monkeypatch.delenv("PIPELINE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception):
        chromium(("no-such-browser-here",))
    monkeypatch.setenv("PIPELINE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception):
        chromium(("no-such-browser-here",))


def degraded_gold(gold_dir: Path, dest: Path, documents: list[dict]) -> None:
    """A copy of the gold set with one false hit, one wrong value and one miss planted in
    the first release that has statistics and dates, so every gold mark has to show."""
    shutil.copytree(gold_dir, dest)
    for path in sorted(dest.glob("*.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        if not g["statistics"] or not g["dates"]:
            continue
        g["statistics"].pop()  # the pipeline's row becomes a false hit
        g["dates"][0]["value"] = "1900-01-01"  # a wrong value
        first_word = next(d for d in documents if d["doc_id"] == g["doc_id"])["text"].split()[0]
        g["quotes"].append({"text": first_word, "speaker": None, "kind": "direct"})  # a miss
        path.write_text(json.dumps(g), encoding="utf-8")
        return
    raise AssertionError("no gold release with statistics and dates")


@pytest.fixture(scope="module")
def rendered(seed_outputs, tmp_path_factory):
    """The seed outputs' page (with planted gold issues) through headless Chromium:
    (outputs folder, DOM after rendering, screenshot path)."""
    exe = chromium()
    out, summary = seed_outputs
    assert summary.read > 0, f"the seed run produced no release: {summary.skipped}"
    tmp = tmp_path_factory.mktemp("browser")
    documents = read_table(out, "documents").to_pylist()
    degraded_gold(GOLD, tmp / "gold", documents)
    page = tmp / "report.html"
    result = CliRunner().invoke(app, ["report", "-p", str(out), "-g", str(tmp / "gold"), "-o", str(page)])
    assert result.exit_code == 0, result.output
    png = tmp / "page.png"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp / 'profile'}", "--hide-scrollbars", "--window-size=1280,2000",
           f"--screenshot={png}", "--dump-dom", page.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, lxml.html.document_fromstring(proc.stdout), png


def test_browser_renders_every_highlight(rendered):
    out, dom, _ = rendered
    n = {name: read_table(out, name).num_rows for name in ("documents", "quotes", "organization_mentions",
                                                           "dates", "statistics")}
    assert len(dom.xpath("//article[contains(@class,'release')]")) == n["documents"]
    index_links = dom.get_element_by_id("index").xpath(".//a/@href")
    assert len(index_links) == n["documents"] and all(dom.get_element_by_id(h[1:]) is not None for h in index_links)

    texts = dom.xpath("//article//div[@class='text']")
    assert len(texts) == n["documents"]

    def marks(cls):
        return [m for t in texts for m in marks_of(t, cls)]

    quotes = marks("x-quote")
    assert len(quotes) == n["quotes"]
    speaker_links = [q.xpath("./a[@class='lbl']/@href") for q in quotes]
    linked = [h for hs in speaker_links for h in hs]
    with_person = [p for p in read_table(out, "quotes").column("speaker_id").to_pylist() if p is not None]
    assert len(linked) == len(with_person)  # each quote whose speaker is a person links to them
    assert all(dom.get_element_by_id(h[1:]).tag == "li" for h in linked)
    assert marks("x-speaker")

    assert len(marks("x-org")) == n["organization_mentions"]
    dates = marks("x-date")
    values = sorted(read_table(out, "dates").column("value").to_pylist())
    assert len(dates) == n["dates"] and sorted(d.get("data-value") for d in dates) == values
    stats = marks("x-stat")
    assert len(stats) == n["statistics"]
    units = read_table(out, "statistics").column("unit").to_pylist()
    assert all(s.xpath("./span[@class='lbl']") and u in s.xpath("./span[@class='lbl']")[0].text_content()
               for s, u in zip(stats, units))
    assert marks("x-boiler")
    # the planted gold issues
    assert [m for m in marks("g-fh") if has_class(m, "x-stat")]
    assert [m for m in marks("g-mm") if has_class(m, "x-date")]
    assert marks("x-miss")
    assert dom.get_element_by_id("scores") is not None


def test_browser_screenshot_shows_the_highlight_colours(rendered):
    from PIL import Image

    _, _, png = rendered
    img = Image.open(png).convert("RGB")
    assert img.size == (1280, 2000)
    counts = {colour: n for n, colour in img.getcolors(maxcolors=1 << 20)}
    assert len(counts) > 50  # text, antialiasing, several fills: not a blank page
    background = max(counts.values())
    assert background < 0.9 * img.size[0] * img.size[1]
    # below the legend bar, the fills of report.css (quote, organization, date, statistic)
    # cover real areas of the first release's text
    body = {colour: n for n, colour in img.crop((0, 200, 1280, 2000)).getcolors(maxcolors=1 << 20)}
    for name, rgb in {"quote": (0xff, 0xf0, 0xa6), "organization": (0xdb, 0xea, 0xfe),
                      "date": (0xd1, 0xfa, 0xe5), "statistic": (0xf3, 0xe8, 0xff)}.items():
        assert body.get(rgb, 0) > 2000, (name, body.get(rgb, 0))


def test_cli_marks_releases_without_gold_and_scores_only_the_annotated(seed_outputs, tmp_path):
    out, _ = seed_outputs
    gold = tmp_path / "gold"
    gold.mkdir()
    first = sorted(GOLD.glob("*.json"))[0]
    shutil.copy(first, gold / first.name)
    dest = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["report", "-p", str(out), "-g", str(gold), "-o", str(dest)])
    assert result.exit_code == 0, result.output
    root = lxml.html.document_fromstring(dest.read_text(encoding="utf-8"))
    articles = [el for el in root.iter("article")]
    unannotated = [a for a in articles if "not annotated" in a.text_content()]
    assert len(articles) == 5 and len(unannotated) == 4
    assert first.stem not in {a.get("data-doc") for a in unannotated}
    assert "1 release(s) of gold" in root.get_element_by_id("scores").text_content()


def test_cli_report_filters(seed_outputs, tmp_path):
    out, _ = seed_outputs
    ids = sorted(p.stem for p in RAW.glob("*.txt"))
    dest = tmp_path / "page.html"

    def articles(*args):
        result = CliRunner().invoke(app, ["report", "-p", str(out), "-o", str(dest), *args])
        assert result.exit_code == 0, result.output
        root = lxml.html.document_fromstring(dest.read_text(encoding="utf-8"))
        return [a.get("data-doc") for a in root.iter("article")]

    assert articles("--doc-id", ids[1], "--doc-id", ids[3]) == [ids[1], ids[3]]
    # a gold set where one release has an organization nobody extracted: only it has issues
    gold = tmp_path / "gold"
    shutil.copytree(GOLD, gold)
    changed = gold / f"{ids[2]}.json"
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["organizations"].append({"name": "Invented Relief Council", "acronym": None})
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert ids[2] in articles("--gold", str(gold), "--only-issues")
    assert set(articles("--gold", str(gold), "--only-issues")) <= set(ids)
    bad = CliRunner().invoke(app, ["report", "-p", str(out), "-o", str(dest), "--doc-id", "no-such-release"])
    assert bad.exit_code == 2 and "no-such-release" in bad.output
    bad = CliRunner().invoke(app, ["report", "-p", str(out), "-o", str(dest), "--only-issues"])
    assert bad.exit_code == 2 and "--gold" in bad.output
