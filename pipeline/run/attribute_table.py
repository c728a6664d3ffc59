"""The model's attribute rules as lookup tables: the same annotations, a fifth of the time.

Why: spaCy's ``AttributeRuler`` runs every rule through the generic ``Matcher``. The English
models carry about 180 rules (a tag map such as ``TAG=NNS → POS NOUN, Number=Plur`` and
exceptions such as ``LOWER=its, TAG=PRP$ → Poss=Yes``), and matching all of them costs some
30 µs per token: about an eighth of ``en_core_web_sm``'s own time, more than its tagger and
lemmatizer together. Almost every rule is one token with exact values: those become dict
lookups on the Doc's attribute array, remembered per distinct token (most tokens repeat
one). Rules over several tokens, or with NOT_IN or a regex, are checked only where their
first token can match. A rule with an operator (``OP``) stays in a ``Matcher`` of its own;
the English models have none.

The result is the ruler's, by construction: the matches are taken on the Doc as it comes in,
then applied in rule order with later rules over earlier ones, exactly as
``AttributeRuler.set_annotations`` does (``tests/run/test_attribute_table.py`` compares the
two on real releases). ``build_nlp`` puts ``release_attribute_table`` in the place of the
model's ``attribute_ruler``; a model without one is left as it is.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy
from spacy.attrs import IDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Span
from spacy.tokens._retokenize import set_token_attrs

from pipeline.run.standins import component_of, replaced, stand_in

# Token attributes a rule may test and still be looked up: string attributes by value (or
# IN, NOT_IN, REGEX), flags by True/False, both as ``Doc.to_array`` gives them (a string's
# hash, 0/1). A rule on anything else, or with an operator (``OP``), stays with the Matcher.
STRING_ATTRS = ("ORTH", "LOWER", "TAG", "DEP")
FLAG_ATTRS = ("IS_SPACE", "IS_PUNCT", "IS_DIGIT", "IS_ALPHA")
COLUMNS = STRING_ATTRS + FLAG_ATTRS
MEMO_LIMIT = 20_000  # distinct token rows (and regex answers) remembered: about 5 MB at most


class TokenTest(NamedTuple):
    """One token of a pattern: columns it must equal, columns it must not, and regexes."""

    exact: tuple[tuple[int, frozenset[int]], ...]
    excluded: tuple[tuple[int, frozenset[int]], ...]
    regex: tuple[tuple[int, re.Pattern], ...]


class Checked(NamedTuple):
    """A rule pattern that needs more than its first token's exact values."""

    number: int
    index: int  # the pattern token that takes the attributes (negative: from the end)
    tests: tuple[TokenTest, ...]


class Table(NamedTuple):
    """Rules whose patterns start with an exact test of the same columns, by those values:
    ``plain`` ones are that test alone, ``checked`` ones need the rest of their pattern."""

    columns: tuple[int, ...]  # positions in the component's columns (rule_columns)
    plain: dict[tuple[int, ...], list[int]]
    checked: dict[tuple[int, ...], list[Checked]]


def rule_columns(patterns: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The COLUMNS that some rule tests, in COLUMNS order: the only ones read from a Doc."""
    named = {attr for rule in patterns for p in rule["patterns"] for token in p for attr in token}
    return tuple(a for a in COLUMNS if a in named)


def compile_token(spec: Mapping[str, Any], strings, columns: Sequence[str] = COLUMNS) -> TokenTest | None:
    """The test of one pattern token, or None if the Matcher must keep it.

    ``{"TAG": {"IN": ["VBP", "VBZ"]}, "LOWER": "ai"}`` → exact TAG and LOWER;
    ``{"DEP": {"NOT_IN": ["det", ""]}}`` → excluded DEP; ``{"LOWER": {"REGEX": "^y'?$"}}``."""
    exact, excluded, regex = [], [], []
    for attr, value in spec.items():
        if attr not in columns:
            return None
        col = columns.index(attr)
        if attr in FLAG_ATTRS:
            if not isinstance(value, bool):
                return None
            exact.append((col, frozenset([int(value)])))
        elif isinstance(value, str):
            exact.append((col, frozenset([strings.add(value)])))
        elif isinstance(value, dict) and len(value) == 1:
            (op, arg), = value.items()
            if op == "REGEX" and isinstance(arg, str):
                regex.append((col, re.compile(arg)))
            elif op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
                (exact if op == "IN" else excluded).append((col, frozenset(strings.add(v) for v in arg)))
            else:
                return None
        else:
            return None
    return TokenTest(tuple(sorted(exact)), tuple(excluded), tuple(regex))


def _keys(test: TokenTest) -> tuple[tuple[int, ...], list[tuple[int, ...]]]:
    """(columns, every value tuple) of a token test's exact part."""
    columns = tuple(col for col, _ in test.exact)
    keys: list[tuple[int, ...]] = [()]
    for _, values in test.exact:
        keys = [k + (v,) for k in keys for v in sorted(values)]
    return columns, keys


def split_rules(patterns: Sequence[Mapping[str, Any]], strings, columns: Sequence[str] = COLUMNS
                ) -> tuple[list[Table], list[Checked], list[tuple[int, list[list[dict]]]]]:
    """The ruler's rules as lookup tables, the checked patterns that must be tried at every
    token (no exact test on their first token), and the (rule number, patterns) the Matcher
    keeps. A rule leaves the Matcher only if all its patterns compile."""
    tables: dict[tuple[int, ...], Table] = {}
    scans: list[Checked] = []
    rest: list[tuple[int, list[list[dict]]]] = []
    for number, rule in enumerate(patterns):
        compiled = [[compile_token(t, strings, columns) for t in p] for p in rule["patterns"]]
        if any(not p or any(t is None for t in p) for p in compiled):
            rest.append((number, rule["patterns"]))
            continue
        index = rule.get("index", 0)
        for tests in compiled:
            keyed, keys = _keys(tests[0])
            plain = len(tests) == 1 and index in (0, -1) and not tests[0].excluded and not tests[0].regex
            if not keyed:
                scans.append(Checked(number, index, tuple(tests)))
                continue
            table = tables.setdefault(keyed, Table(keyed, {}, {}))
            for key in keys:
                if plain:
                    table.plain.setdefault(key, []).append(number)
                else:
                    table.checked.setdefault(key, []).append(Checked(number, index, tuple(tests)))
    return list(tables.values()), scans, rest


Search = Callable[[re.Pattern, int], bool]


def meets(rows: Sequence[Sequence[int]], start: int, tests: Sequence[TokenTest], search: Search) -> bool:
    """Whether the tokens from ``start`` pass ``tests`` one by one (``search(regex, hash)``
    tests the string behind a hash)."""
    if start + len(tests) > len(rows):
        return False
    for row, test in zip(rows[start:start + len(tests)], tests):
        if any(row[col] not in values for col, values in test.exact):
            return False
        if any(row[col] in values for col, values in test.excluded):
            return False
        if any(not search(rx, row[col]) for col, rx in test.regex):
            return False
    return True


def target(start: int, rule: Checked) -> int:
    """The token a matched pattern annotates, as ``Span[index]`` picks it."""
    n = len(rule.tests)
    if not -n <= rule.index < n:
        raise ValueError(f"attribute rule {rule.number}: index {rule.index} is outside its "
                         f"{n}-token pattern")
    return start + rule.index % n


def first_token_mask(array: numpy.ndarray, test: TokenTest, search: Search) -> numpy.ndarray:
    """Which tokens pass ``test`` (a vectorized ``meets`` for one token); each regex is
    searched once per distinct string."""
    mask = numpy.ones(len(array), dtype=bool)
    for col, values in test.exact:
        mask &= numpy.isin(array[:, col], numpy.fromiter(values, numpy.uint64))
    for col, values in test.excluded:
        mask &= ~numpy.isin(array[:, col], numpy.fromiter(values, numpy.uint64))
    for col, rx in test.regex:
        distinct, where = numpy.unique(array[:, col], return_inverse=True)
        mask &= numpy.array([search(rx, int(v)) for v in distinct], dtype=bool)[where]
    return mask


def rules_of_row(row: Sequence[int], tables: Iterable[Table]) -> tuple[tuple[int, ...], tuple[Checked, ...]]:
    """The table rules a token with these column values meets on its own (sorted), and the
    checked patterns that may start at it."""
    plain: set[int] = set()
    checked: list[Checked] = []
    for table in tables:
        key = tuple(row[c] for c in table.columns)
        plain.update(table.plain.get(key, ()))
        checked.extend(table.checked.get(key, ()))
    return tuple(sorted(plain)), tuple(checked)


def rules_by_token(array: numpy.ndarray, tables: Sequence[Table], scans: Sequence[Checked],
                   search: Search, seen: dict) -> list[tuple[int, ...]]:
    """For each token (a row of column values in ``array``), the sorted numbers of the rules
    that annotate it. ``seen`` remembers ``rules_of_row`` by row: most tokens repeat one."""
    rows = list(map(tuple, array.tolist()))
    found: list[tuple[int, ...]] = []
    more: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        entry = seen.get(row)
        if entry is None:
            entry = seen[row] = rules_of_row(row, tables)
        found.append(entry[0])
        for rule in entry[1]:
            if meets(rows, i, rule.tests, search):
                more.setdefault(target(i, rule), []).append(rule.number)
    for rule in scans:
        for i in numpy.flatnonzero(first_token_mask(array, rule.tests[0], search)).tolist():
            if meets(rows, i, rule.tests, search):
                more.setdefault(target(i, rule), []).append(rule.number)
    for i, numbers in more.items():
        found[i] = tuple(sorted(set(found[i]).union(numbers)))
    return found


class AttributeTable:
    """A drop-in for a loaded ``AttributeRuler``: its rules, matched by table lookup."""

    def __init__(self, ruler: AttributeRuler, name: str = "release_attribute_table"):
        self.name = name
        self.vocab = ruler.vocab
        self.attrs: list[dict] = list(ruler.attrs)
        self.indices: list[int] = list(ruler.indices)
        rules = ruler.patterns
        columns = rule_columns(rules)
        self.tables, self.scans, rest = split_rules(rules, self.vocab.strings, columns)
        self.matcher = Matcher(self.vocab, validate=False)
        for number, patterns in rest:
            self.matcher.add(str(number), patterns)
        self._column_ids = [IDS[a] for a in columns] or [IDS["ORTH"]]
        self._seen: dict[tuple[int, ...], tuple] = {}  # rules_of_row by row, up to MEMO_LIMIT
        self._merged: dict[tuple[int, ...], dict] = {}
        self._searched: dict[tuple[re.Pattern, int], bool] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        array = doc.to_array(self._column_ids).astype(numpy.uint64).reshape(len(doc), -1)
        if len(self._seen) > MEMO_LIMIT:
            self._seen.clear()
        if len(self._searched) > MEMO_LIMIT:
            self._searched.clear()
        hits = rules_by_token(array, self.tables, self.scans, self._search, self._seen)
        if len(self.matcher):
            strings = self.vocab.strings
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                number = int(strings[match_id])
                i = Span(doc, start, end)[self.indices[number]].i  # IndexError as the ruler's
                hits[i] = tuple(sorted({*hits[i], number}))
        for i, numbers in enumerate(hits):
            if numbers:
                set_token_attrs(doc[i], self._attrs_of(numbers))
        return doc

    def _search(self, regex: re.Pattern, value: int) -> bool:
        """``regex`` searched in the string of hash ``value``, remembered per string."""
        key = (regex, value)
        found = self._searched.get(key)
        if found is None:
            found = self._searched[key] = bool(regex.search(self.vocab.strings[value]))
        return found

    def _attrs_of(self, numbers: tuple[int, ...]) -> dict:
        """The attributes that rules ``numbers`` (sorted) leave on a token: later rules win."""
        merged = self._merged.get(numbers)
        if merged is None:
            merged = {}
            for number in numbers:
                merged.update(self.attrs[number])
            self._merged[numbers] = merged
        return merged


@Language.factory(
    "release_attribute_table",
    default_config={"replaces": "attribute_ruler"},
    assigns=["token.tag", "token.pos", "token.morph", "token.lemma"],
)
def make_attribute_table(nlp: Language, name: str, replaces: str) -> AttributeTable:
    """``replaces``: the name of the model's ``AttributeRuler`` whose rules it takes."""
    ruler = replaced(nlp, replaces, AttributeRuler)
    return AttributeTable(ruler, name)


def swap_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Put ``release_attribute_table`` in the place of the model's attribute ruler; False
    (and nothing changed) if the model has none."""
    if component_of(nlp, name, AttributeRuler) is None:
        return False
    stand_in(nlp, name, "release_attribute_table")
    return True
