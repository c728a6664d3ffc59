"""The model's lemmatizer, asked once per distinct word form.

Why: spaCy's rule lemmatizer works token by token in Python, and its own cache skips the
commonest case: a word already in its base form ("report" as a singular noun) is worked out
again at every occurrence. A word it has not seen costs more: its index of known words is a
list per part of speech (57,528 nouns in ``en_core_web_sm``), and each candidate form is
looked for in it from the start. The answer depends only on the token's text, part of
speech and morphology, so ``release_lemma_memo`` keeps one answer per (text, POS,
morphology), reads and writes the lemmas of a whole Doc as one array, and asks a copy of the
lemmatizer whose index lists are sets (membership is all the lemmatizer asks of them). Lemmas are the lemmatizer's own
(``tests/run/test_lemma_memo.py`` compares them on real releases); ``build_nlp`` puts it in
the place of the model's ``lemmatizer`` when that is one of spaCy's own modes.
"""
from __future__ import annotations

import copy

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.lookups import Lookups, Table
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

from pipeline.run.standins import component_of, replaced, stand_in

# spaCy's lemmatizer modes whose answer is a function of (text, POS, morphology) alone.
MEMO_MODES = ("rule", "lookup", "pos_lookup")
MEMO_LIMIT = 30_000  # distinct forms remembered (about 6 MB); then the memo starts afresh
INDEX_TABLE = "lemma_index"  # part of speech → known base forms; read only with ``in``


def with_set_index(lookups: Lookups) -> Lookups:
    """The same lookup tables, the known-forms index with sets for lists."""
    faster = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        if name == INDEX_TABLE:
            table = Table(name, {key: frozenset(forms) for key, forms in table.items()})
        faster.set_table(name, table)
    return faster


def form_lemmatizer(lemmatizer: Lemmatizer) -> Lemmatizer:
    """A copy of ``lemmatizer`` with its own cache and a set index (the model's is untouched)."""
    faster = copy.copy(lemmatizer)
    faster.cache = {}
    faster.lookups = with_set_index(lemmatizer.lookups)
    faster.lemmatize = getattr(faster, f"{faster.mode}_lemmatize")  # bound to the copy, as
    return faster                                                    # Lemmatizer.__init__ does


class LemmaMemo:
    """A drop-in for a loaded ``Lemmatizer``: the same lemmas, one call per distinct form."""

    def __init__(self, lemmatizer: Lemmatizer, name: str = "release_lemma_memo"):
        if lemmatizer.mode not in MEMO_MODES:
            raise ValueError(f"lemmatizer mode {lemmatizer.mode!r} is not one of {MEMO_MODES}")
        self.name = name
        self.lemmatizer = form_lemmatizer(lemmatizer)
        self.overwrite = lemmatizer.overwrite
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if len(self.memo) > MEMO_LIMIT:
            self.memo.clear()
            self.lemmatizer.cache.clear()  # the lemmatizer's own, as unbounded
        array = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = array[:, 3].copy()
        memo, strings, changed = self.memo, doc.vocab.strings, False
        for i, (orth, pos, morph, lemma) in enumerate(array.tolist()):
            if lemma and not self.overwrite:
                continue  # set by the attribute rules: the lemmatizer leaves it too
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                found = memo[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = found
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas)
        return doc


@Language.factory(
    "release_lemma_memo",
    default_config={"replaces": "lemmatizer"},
    assigns=["token.lemma"],
)
def make_lemma_memo(nlp: Language, name: str, replaces: str) -> LemmaMemo:
    """``replaces``: the name of the model's ``Lemmatizer`` whose lemmas it memoizes."""
    lemmatizer = replaced(nlp, replaces, Lemmatizer)
    return LemmaMemo(lemmatizer, name)


def swap_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Put ``release_lemma_memo`` in the place of the model's lemmatizer; False (and nothing
    changed) if the model has none, or one whose lemmas depend on more than the word form."""
    lemmatizer = component_of(nlp, name, Lemmatizer)
    if lemmatizer is None or lemmatizer.mode not in MEMO_MODES:
        return False
    stand_in(nlp, name, "release_lemma_memo")
    return True
