"""Corpus resolve: quotes spoken by an organization point at it."""
import pandas as pd

from pipeline.run.resolve import bare_name, speaking_org
from pipeline.run.runner import run

RELEASE = """Forest agency warns of drought

NAIROBI, 3 March 2025 - The Global Forest Watch Agency (GFWA) said on Monday that tree cover had fallen by 12 per cent in two years.

"We are running out of time," said Dana Ruiz, Director of the GFWA.
"""


def test_the_speaker_mention_must_name_the_organization_whole():
    names = {bare_name("Harbour Safety Board"): "hsb", bare_name("HSB"): "hsb"}
    assert speaking_org("The Harbour Safety Board", names) == "hsb"
    assert speaking_org("HSB", names) == "hsb"
    assert speaking_org("a spokesperson for the Harbour Safety Board", names) is None
    assert speaking_org(None, names) is None


def test_quotes_of_an_organization_carry_its_id(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "forest.txt").write_text(RELEASE, encoding="utf-8")
    run([tmp_path / "in"], tmp_path / "out", use_cache=False)
    quotes = pd.read_parquet(tmp_path / "out" / "quotes").set_index("kind")
    orgs = pd.read_parquet(tmp_path / "out" / "organizations").set_index("org_id")
    assert quotes.loc["indirect", "speaker_id"] is None
    assert orgs.loc[quotes.loc["indirect", "speaker_org_id"], "acronym"] == "GFWA"
    assert quotes.loc["direct", "speaker_id"] == "dana-ruiz"
    assert quotes.loc["direct", "speaker_org_id"] is None
