"""The ``release_quotes`` component: runs the people step, then the quote passes, and sets
``doc._.quotes`` and ``doc._.people``."""
from __future__ import annotations

from typing import Sequence

from spacy.language import Language

from pipeline.extract.extensions import register
from pipeline.extract.people.build import build_people
from pipeline.extract.people.docspans import drop_doc_cache
from pipeline.extract.quotes.attribution import Attributor
from pipeline.extract.quotes.context import QuoteDoc
from pipeline.extract.quotes.direct import DirectQuotes
from pipeline.extract.quotes.indirect import IndirectSpeech
from pipeline.extract.quotes.speakers import Speakers

register("quotes", default=None)
register("people", default=None)

DEFAULT_CONFIG = {"max_quote_chars": 3000, "min_unattributed_words": 6, "indirect": True,
                  "extra_speech_verbs": []}


def find_quotes(ctx: QuoteDoc) -> list[dict]:
    """Indirect speech first (its speakers are inherited by floating quotes), then direct and
    partial quotes; rows in text order, with ``_person`` the doc-local person index."""
    speakers = Speakers(ctx)
    indirect_rows = IndirectSpeech(ctx, speakers).indirect() if ctx.cfg["indirect"] else []
    rows = DirectQuotes(ctx, speakers, Attributor(ctx, speakers)).quotes(indirect_rows) + indirect_rows
    rows.sort(key=lambda r: (r["start_char"], r["end_char"], r["kind"]))
    return rows


def extract(doc, org_mentions: Sequence[dict] | None = None, cfg: dict | None = None) -> tuple[list[dict], list[dict]]:
    """(quotes, people) of a parsed Doc as lists of plain dicts."""
    conf = dict(DEFAULT_CONFIG)
    conf.update(cfg or {})
    try:
        index = build_people(doc, org_mentions)
        rows = find_quotes(QuoteDoc(doc, index, conf, org_mentions))
    finally:
        drop_doc_cache(doc)
    quotes = []
    for r in rows:
        p = index.person(r.pop("_person", None))
        r.pop("_ref", None)
        r["speaker_key"] = p.key if p is not None else None
        quotes.append(r)
    people = [p.as_dict() for p in index.persons]
    return quotes, people


class ReleaseQuotes:
    """spaCy component: sets ``doc._.quotes`` and ``doc._.people``."""

    def __init__(self, nlp: Language, name: str, max_quote_chars: int, min_unattributed_words: int,
                 indirect: bool, extra_speech_verbs: list[str] = ()) -> None:
        self.name = name
        self.cfg = {"max_quote_chars": max_quote_chars, "min_unattributed_words": min_unattributed_words,
                    "indirect": indirect, "extra_speech_verbs": list(extra_speech_verbs)}

    def __call__(self, doc):
        orgs = doc._.org_mentions if doc.has_extension("org_mentions") else None
        quotes, people = extract(doc, orgs or [], self.cfg)
        doc._.quotes = quotes
        doc._.people = people
        return doc


@Language.factory(
    "release_quotes",
    default_config=DEFAULT_CONFIG,
    # token.pos is read too; the model's attribute_ruler sets it without declaring it, so
    # requiring it would make analyze_pipes report a problem that is not one
    requires=["doc.ents", "doc.sents", "token.dep", "token.lemma", "token.tag"],
    assigns=["doc._.quotes", "doc._.people"],
)
def make_release_quotes(nlp: Language, name: str, max_quote_chars: int, min_unattributed_words: int,
                        indirect: bool, extra_speech_verbs: list[str] = ()) -> ReleaseQuotes:
    """Quotes (direct, partial, indirect) and people of a release; runs after 'ner' and
    'release_orgs' (whose ``doc._.org_mentions`` it uses when present).
    ``extra_speech_verbs``: a user's own reporting verbs (lemmas) on top of the lexicon."""
    return ReleaseQuotes(nlp, name, max_quote_chars, min_unattributed_words, indirect,
                         extra_speech_verbs)
