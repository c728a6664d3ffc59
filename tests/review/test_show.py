"""``pipeline show``: one release's extractions in the terminal."""
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.review.marks import Release
from pipeline.review.show import STYLES, marked_text

TEXT = "The Harbour Board said on 4 June 2024 that traffic rose by 30 per cent."


def _span(needle):
    i = TEXT.index(needle)
    return {"start_char": i, "end_char": i + len(needle), "text": needle}


def test_the_text_is_styled_where_each_extraction_is():
    r = Release(doc={"doc_id": "hb", "text": TEXT},
                quotes=[{**_span("traffic rose by 30 per cent"), "kind": "indirect", "quote_id": 0}],
                mentions=[{**_span("Harbour Board"), "org_id": "hb"}],
                dates=[{**_span("4 June 2024"), "value": "2024-06-04", "kind": "absolute"}],
                statistics=[{**_span("30 per cent"), "value": 30.0, "unit": "percent"}])
    text = marked_text(r)
    assert text.plain == TEXT
    styled = {(s.start, s.end): str(s.style) for s in text.spans}
    for needle, kind in (("Harbour Board", "org"), ("4 June 2024", "date"),
                         ("30 per cent", "stat"), ("traffic rose by 30 per cent", "quote")):
        s = _span(needle)
        assert styled[(s["start_char"], s["end_char"])] == STYLES[kind]


def test_cli_shows_one_release(seed_outputs):
    out, _ = seed_outputs
    import pandas as pd

    doc = pd.read_parquet(out / "documents").iloc[0]
    quotes = pd.read_parquet(out / "quotes")
    res = CliRunner().invoke(app, ["show", doc.doc_id, "--out", str(out)], )
    assert res.exit_code == 0, res.output
    assert doc.title[:30] in res.output and doc.doc_id in res.output
    n = (quotes.doc_id == doc.doc_id).sum()
    assert f"Quotes ({n})" in res.output and "Organizations (" in res.output
    res = CliRunner().invoke(app, ["show", doc.doc_id[:-1] + "x", "-p", str(out)])
    assert res.exit_code == 2 and f"did you mean {doc.doc_id}" in res.output
