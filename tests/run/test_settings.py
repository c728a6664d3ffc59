"""Component settings from a config file or --set, checked against the factories' defaults."""
import pandas as pd
import pytest

from pipeline.run.nlp import component_defaults
from pipeline.run.runner import code_fingerprint, run
from pipeline.run.settings import SettingsError, check_settings, load_settings

MAJORITY = ("Shelter staff reviewed the cases in March.\n"
            "The majority of survivors were young women recruited online.\n")


def test_file_then_overrides(tmp_path):
    cfg = tmp_path / "settings.cfg"
    cfg.write_text("[components.release_stats]\ninclude_majority = true\n\n"
                   "[components.release_quotes]\nmax_quote_chars = 500\n", encoding="utf-8")
    settings = load_settings(cfg, ["release_quotes.max_quote_chars=900", "release_dates.sets=false"])
    assert settings == {"release_stats": {"include_majority": True},
                        "release_quotes": {"max_quote_chars": 900},
                        "release_dates": {"sets": False}}


@pytest.mark.parametrize("item", ["include_majority=true", "release_stats=true", "release_stats."])
def test_malformed_set_names_the_expected_form(item):
    with pytest.raises(SettingsError, match="component.setting=value"):
        load_settings(None, [item])


def test_unreadable_or_invalid_file(tmp_path):
    with pytest.raises(SettingsError, match="cannot be read"):
        load_settings(tmp_path / "missing.cfg")
    bad = tmp_path / "bad.cfg"
    bad.write_text("[other]\nx = 1\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="unknown section"):
        load_settings(bad)


def test_unknown_component_or_setting_lists_what_exists():
    defaults = component_defaults()
    assert defaults["release_stats"]["include_majority"] is False
    with pytest.raises(SettingsError, match="unknown component 'release_nope'.*release_stats"):
        check_settings({"release_nope": {}}, defaults)
    with pytest.raises(SettingsError, match="has no setting 'colour'.*include_majority"):
        check_settings({"release_stats": {"colour": 1}}, defaults)


def test_settings_are_part_of_the_fingerprint():
    base = code_fingerprint("en_x-1")
    assert code_fingerprint("en_x-1", settings={}) == base
    assert code_fingerprint("en_x-1", settings={"release_stats": {"include_majority": True}}) != base


def test_a_setting_reaches_its_component_and_the_cache_follows(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r1.txt").write_text(MAJORITY, encoding="utf-8")
    out = tmp_path / "out"

    def majority_rows() -> int:
        stats = pd.read_parquet(out / "statistics")
        return int(stats.text.str.contains("majority", case=False).sum())

    run([tmp_path / "in"], out)
    assert majority_rows() == 0
    summary = run([tmp_path / "in"], out, settings={"release_stats": {"include_majority": True}})
    assert summary.cached == 0 and summary.parsed == 1  # other settings: the cached rows don't apply
    assert majority_rows() == 1


RELEASE = ("Shelters report rising demand\n"
           "NWSN staff met survivors in Tarrow on Monday.\n"
           "Director Lena Marsh opined that the shelters were full.\n")


def _extract(tmp_path, settings):
    from pipeline.ingest.readers import read_path
    from pipeline.run.nlp import build_nlp
    from pipeline.run.rows import make_doc

    path = tmp_path / "r.txt"
    path.write_text(RELEASE, encoding="utf-8")
    nlp = build_nlp(settings=settings)
    release = next(iter(read_path(path)))
    return nlp(make_doc(nlp, release))


def test_a_users_gazetteer_and_speech_verbs(tmp_path):
    gaz = tmp_path / "my_orgs.jsonl"
    gaz.write_text('{"name": "Northwind Shelter Network", "acronym": "NWSN"}\n', encoding="utf-8")
    plain = _extract(tmp_path, {})
    assert "Northwind Shelter Network" not in {m["name"] for m in plain._.org_mentions}
    assert not [q for q in plain._.quotes if q["kind"] == "indirect"]
    own = _extract(tmp_path, {"release_orgs": {"extra_gazetteer": str(gaz)},
                              "release_quotes": {"extra_speech_verbs": ["opine"]}})
    assert ("NWSN", "Northwind Shelter Network") in {(m["text"], m["name"]) for m in own._.org_mentions}
    assert [(q["text"], q["speaker_mention"]) for q in own._.quotes if q["kind"] == "indirect"] == [
        ("the shelters were full", "Lena Marsh")]


def test_a_gazetteer_file_must_exist_and_counts_by_its_content(tmp_path):
    with pytest.raises(SettingsError, match="file not found"):
        load_settings(None, [f"release_orgs.extra_gazetteer={tmp_path / 'none.jsonl'}"])
    gaz = tmp_path / "g.jsonl"
    gaz.write_text('{"name": "Alder Trust"}\n', encoding="utf-8")
    settings = load_settings(None, [f"release_orgs.extra_gazetteer={gaz}"])
    before = code_fingerprint("en_x-1", settings=settings)
    gaz.write_text('{"name": "Alder Trust"}\n{"name": "Birch Fund"}\n', encoding="utf-8")
    assert code_fingerprint("en_x-1", settings=settings) != before
