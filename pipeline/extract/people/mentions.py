"""Person-name mentions in a parsed Doc, and their clustering into doc-local persons."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from pipeline.extract.extensions import doc_text
from pipeline.extract.people.docspans import entities
from pipeline.extract.people.names import (
    clean_name,
    genders_compatible,
    honorific_form,
    honorific_gender,
    is_cap_word,
    is_subname,
    looks_like_name,
    name_key_tokens,
    slugify,
)
from pipeline.extract.people.titles import has_role_head
from pipeline.extract.people.vocabulary import fold, vocab
from pipeline.resources.speech import is_speech_lemma


# --------------------------------------------------------------------------- spaCy level
@dataclass
class Mention:
    """A written reference to a person in one Doc (token and character spans)."""

    tok_start: int
    tok_end: int           # exclusive
    start_char: int
    end_char: int
    text: str              # as written, with the honorific
    name: str              # bare name; '' for pronouns and descriptions
    honorific: str | None
    kind: str = "name"     # name | pronoun | description
    person: int | None = None
    subject: bool = False
    headline: bool = False  # in a title-case line (headline, menu), where NER guesses badly
    speaks: bool = False   # subject of a speech verb, or right after one (``said Grandi``)
    quoted: bool = False   # inside double quotation marks: the speaker's words, not the writer's


@dataclass
class Person:
    """A doc-local person: a cluster of name mentions."""

    idx: int
    name: str
    tokens: tuple[str, ...]
    honorific: str | None = None
    gender: str | None = None
    title: str | None = None
    organization: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    key: str = ""

    def as_dict(self) -> dict:
        spans = sorted({(m.start_char, m.end_char) for m in self.mentions})
        return {
            "key": self.key,
            "name": self.name,
            "honorific": self.honorific,
            "title": self.title,
            "organization": self.organization,
            "mentions": [[s, e] for s, e in spans],
        }


def _tok_is_honorific(tok) -> bool:
    return _is_honorific_word(tok.text)


@lru_cache(maxsize=16384)
def _is_honorific_word(text: str) -> bool:
    """A capitalised honorific (``Ms.``, ``Dr``); memoized, as every token is asked."""
    return is_cap_word(text) and honorific_form(text) is not None


def _is_name_token(tok) -> bool:
    """A token that can be part of a personal name."""
    shape = _name_word_shape(tok.text, tok.is_lower)
    if shape is not None:
        return shape
    return tok.pos_ in ("PROPN", "NOUN", "ADJ", "X", "VERB") or tok.ent_type_ == "PERSON"


@lru_cache(maxsize=16384)
def _name_word_shape(t: str, is_lower: bool) -> bool | None:
    """What the word alone says about a name token: True or False, or None when its tags
    must decide. Memoized: every token of a release is asked, most words many times."""
    v = vocab()
    f = fold(t).rstrip(".")
    if f in v.particles and is_lower:
        return True
    if not is_cap_word(t) or any(c.isdigit() for c in t) or "@" in t or "_" in t:
        return False
    if f in v.post_nominals or f in v.role_head_words or f in v.org_head_words:
        return False
    if honorific_form(t) and t.endswith("."):
        return False
    if re.fullmatch(r"[A-Z]\.", t):
        return True
    if t.isupper() and len(t) > 1:
        return False
    return None


def _line_break_between(doc, i: int, j: int) -> bool:
    """Whether a hard line break separates tokens i and j (i < j)."""
    return "\n" in doc_text(doc)[doc[i].idx: doc[j].idx]


def _hyphen_joins(doc, k: int) -> bool:
    """Whether token k is a hyphen written without spaces between two capitalised name words
    (a double-barrelled surname)."""
    return (doc[k].text == "-" and k + 1 < len(doc) and not doc[k - 1].whitespace_ and not doc[k].whitespace_
            and is_cap_word(doc[k + 1].text) and _is_name_token(doc[k + 1]))


def _surname_end(doc, i: int) -> int:
    """End (exclusive) of the word starting at token i with its hyphen-joined parts."""
    j = i + 1
    while j < len(doc) and _hyphen_joins(doc, j):
        j += 2
    return j


def _name_run(doc, start: int, limit: int = 5) -> int:
    """End (exclusive) of the name tokens starting at ``start``."""
    end = start
    while end < len(doc) and end - start < limit:
        tok = doc[end]
        if end > start and _line_break_between(doc, end - 1, end):
            break
        if end > start and _hyphen_joins(doc, end):
            end += 2  # ``Obi-Nwosu``: one surname the tokenizer cut at its hyphen
            continue
        if not _is_name_token(tok):
            break
        if tok.is_lower and not (end + 1 < len(doc) and _is_name_token(doc[end + 1]) and not doc[end + 1].is_lower):
            break
        end += 1
    while end > start and doc[end - 1].is_lower:
        end -= 1
    return end


def _honorific_before(doc, i: int) -> int:
    """Index of the first honorific token directly before token i (or i)."""
    j = i
    while j > 0 and _tok_is_honorific(doc[j - 1]) and not _line_break_between(doc, j - 1, j):
        j -= 1
    # multiword styles: 'His Excellency'
    if j >= 2 and doc[j - 1].lower_ == "excellency" and doc[j - 2].lower_ in ("his", "her"):
        j -= 2
    return j


def _make_mention(doc, hstart: int, nstart: int, nend: int) -> Mention | None:
    span = doc[hstart:nend]
    text = span.text.strip()
    hon, name = clean_name(text)
    if not name:
        return None
    words = name.split()
    if not looks_like_name(words):
        return None
    return Mention(
        tok_start=hstart, tok_end=nend, start_char=span.start_char,
        end_char=span.start_char + len(span.text.rstrip()), text=text, name=name, honorific=hon,
    )


def _subject_flag(doc, m: Mention) -> bool:
    """Whether a mention is (part of) a clause subject, directly or through apposition."""
    for tok in doc[m.tok_start:m.tok_end]:
        t = tok
        for _ in range(4):
            if t.dep_ in ("nsubj", "nsubjpass"):
                return True
            if t.dep_ in ("compound", "appos", "flat") and t.head.i != t.i:
                t = t.head
                continue
            break
    return False


def _in_quotes(text: str, pos: int) -> bool:
    """Whether ``pos`` sits inside double quotation marks opened earlier on its line."""
    line = text[text.rfind("\n", 0, pos) + 1:pos]
    return line.count("“") > line.count("”") or line.count('"') % 2 == 1


def _speaks(doc, start: int, end: int) -> bool:
    """Whether tokens [start, end) are the subject of a speech verb or follow one (``Grandi
    said``, ``said Amina``): a person a release names by one word is then still a speaker,
    and a surname the tagger took for a place (``Garland acknowledged``) is a person."""
    for tok in doc[start:end]:
        if tok.dep_ == "nsubj" and tok.head.pos_ == "VERB" and is_speech_lemma(tok.head.lemma_):
            return True
    k = start - 1
    return k >= 0 and doc[k].pos_ == "VERB" and doc[k].is_lower and is_speech_lemma(doc[k].lemma_)


_NOT_PERSON_ENTS = frozenset({"GPE", "LOC", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
                               "QUANTITY", "EVENT", "LAW", "FAC", "PRODUCT", "LANGUAGE", "WORK_OF_ART"})


class _SpanCover:
    """Whether some span of a set covers [a, b) and is longer than it, in log time.

    A span (s, e) covers [a, b) longer when s <= a, b <= e and (s, e) != (a, b): some span
    starting before ``a`` reaches ``b``, or one starting at ``a`` goes past it. Prefix maxima of
    the ends, over spans sorted by start, answer both (a scan of every organization span for
    every name made releases with many of both quadratic).
    """

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []
        for _, e in ordered:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def _reach(self, k: int) -> int:
        return self.reach[k - 1] if k > 0 else -1

    def strictly_covers(self, a: int, b: int) -> bool:
        before = bisect.bisect_left(self.starts, a)
        upto = bisect.bisect_right(self.starts, a)
        return self._reach(before) >= b or self._reach(upto) > b


def find_name_mentions(doc, org_spans: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """Person-name mentions of a Doc.

    Sources, in order of trust: an honorific followed by name tokens (``Dr. Mbarek``); NER
    PERSON entities that look like names; and runs of name-shaped proper nouns that the
    NER missed or mislabelled, when a title stands beside them or they are a speech verb's
    subject. Single words without an honorific are kept only if a fuller name in the same
    Doc contains them (checked in ``cluster_mentions``).
    """
    toks = list(doc)  # one Token object per word: the loops below look at each several times
    n = len(toks)
    taken = [False] * n
    found: list[Mention] = []

    inside_org = _SpanCover(org_spans)

    def in_org(m: Mention) -> bool:
        return inside_org.strictly_covers(m.start_char, m.end_char)

    def add(m: Mention | None) -> None:
        if m is None or any(taken[m.tok_start:m.tok_end]):
            return
        for k in range(m.tok_start, m.tok_end):
            taken[k] = True
        found.append(m)

    # 1. honorific + name
    i = 0
    while i < n:
        tok = toks[i]
        if _tok_is_honorific(tok) or (tok.lower_ in ("his", "her") and i + 1 < n
                                       and toks[i + 1].lower_ == "excellency"):
            j = i
            while j < n and (_tok_is_honorific(toks[j]) or toks[j].lower_ in ("his", "her", "excellency")):
                j += 1
            end = _name_run(doc, j)
            if end > j:
                add(_make_mention(doc, i, j, end))
                i = end
                continue
            i = j  # every honorific up to j reaches the same j and finds no name either
            continue
        i += 1
    # 2. NER persons
    for ent in entities(doc):
        if ent.label != "PERSON":
            continue
        s, e = ent.start, ent.end
        while e > s and (toks[e - 1].is_space or toks[e - 1].is_punct or toks[e - 1].lower_ in ("’s", "'s")):
            e -= 1
        while s < e and (_tok_is_honorific(toks[s]) or toks[s].is_space or toks[s].is_punct):
            s += 1
        if s >= e:
            continue
        end = max(e, _name_run(doc, s)) if _is_name_token(toks[s]) else e
        if any(_line_break_between(doc, k, k + 1) for k in range(s, end - 1)):
            continue
        h = _honorific_before(doc, s)
        m = _make_mention(doc, h, s, end)
        if m and not in_org(m):
            add(m)
    # 3. name-shaped proper-noun runs beside a title or as a speaker
    i = 0
    while i < n:
        # the cheap tests first: most tokens are no proper noun
        if taken[i] or toks[i].pos_ != "PROPN" or toks[i].is_lower or not _is_name_token(toks[i]):
            i += 1
            continue
        end = _name_run(doc, i)
        if end - i >= 2 and not any(taken[i:end]) and all(toks[k].pos_ == "PROPN" or toks[k].is_lower
                                                          for k in range(i, end)):
            m = _make_mention(doc, i, i, end)
            if m and not in_org(m) and _name_context(doc, i, end):
                add(m)
        i = max(end, i + 1)
    # 4. a bare surname of a person named in full in this Doc, where NER missed it
    #    (``Okafor said ...`` tagged as a common noun): cluster_mentions links it or drops it
    #    or, as a speaker, the given name of one (``Tedros said``)
    surnames = {w for m in found for w in m.name.split()[1:] if fold(w) not in vocab().particles}
    hyphen_heads = {w.split("-")[0] for w in surnames if "-" in w.strip("-")}
    givens = {m.name.split()[0] for m in found if len(m.name.split()) > 1} - surnames
    for i, tok in enumerate(toks):
        given = tok.text in givens and not taken[i] and _speaks(doc, i, i + 1)
        if not given and (taken[i] or (tok.text not in surnames and tok.text not in hyphen_heads)
                          or (tok.ent_type_ in _NOT_PERSON_ENTS and not _speaks(doc, i, i + 1))):
            continue
        j = i + 1 if tok.text in surnames or given else _surname_end(doc, i)
        if not given and (j == i + 1 and tok.text not in surnames or any(taken[i:j])
                          or doc[i:j].text not in surnames):
            continue
        if (j < n and _is_name_token(toks[j]) and not toks[j].is_lower
                and not _line_break_between(doc, j - 1, j)):
            continue  # the start of another full name
        h = _honorific_before(doc, i)
        if h == i and i > 0 and _is_name_token(toks[i - 1]) and not toks[i - 1].is_lower \
                and not _line_break_between(doc, i - 1, i):
            continue  # the end of another full name
        m = _make_mention(doc, h, i, j)
        if m and not in_org(m):
            add(m)
    found.sort(key=lambda m: m.tok_start)
    headlines: dict[int, bool] = {}
    for m in found:
        m.subject = _subject_flag(doc, m)
        m.speaks = _speaks(doc, m.tok_start, m.tok_end) and not any(
            s <= m.start_char and m.end_char <= e for s, e in org_spans)  # ``Polaris said``: an organization
        m.quoted = _in_quotes(doc_text(doc), m.start_char)
        m.headline = headline_at(doc_text(doc), m.start_char, headlines)
    return found


_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to vs with against via per nor".split())


def headline_at(text: str, pos: int, seen: dict[int, bool]) -> bool:
    """Whether the line holding ``pos`` is title-case (a headline or menu line), where a
    capitalised pair of words is as likely a phrase as a name. ``seen`` keeps the answer
    per line start: a scraped page of one long line would otherwise be read again for each
    name or quote on it."""
    s = text.rfind("\n", 0, pos) + 1
    found = seen.get(s)
    if found is None:
        e = text.find("\n", pos)
        found = seen[s] = is_headline_line(text, s, e if e >= 0 else len(text))
    return found


def is_headline_line(text: str, s: int, e: int) -> bool:
    """Whether ``text[s:e]`` is a title-case line: four or more content words, nearly all
    capitalised, and no sentence end, except on the text's first line (a title, which
    scraped articles often close with a full stop) when every content word is capitalised."""
    line = text[s:e].strip()
    if not line:
        return False
    closed = line[-1] in ".!?:”\""
    if closed and (line[-1] == ":" or text[:s].strip()):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w’'\-]*", line) if w.lower() not in _SMALL_WORDS]
    caps = sum(w[0].isupper() for w in words)
    # a title closed like a sentence must capitalise every content word: a lead sentence
    # full of names and titles does not
    return len(words) >= 4 and (caps == len(words) if closed else caps / len(words) >= 0.8)


def _name_context(doc, start: int, end: int) -> bool:
    """Whether a proper-noun run sits where a person's name does: after a role (``Director,
    X``), before an appositive role (``X, the Executive Director``), or as the subject of a
    speech verb."""
    j = start - 1
    if j >= 0 and doc[j].text == ",":
        j -= 1
    if j >= 0 and (fold(doc[j].text) in vocab().role_head_words or doc[j].text == ")"):
        return True
    k = end
    if k < len(doc) and doc[k].text == ",":
        k += 1
        if k < len(doc) and doc[k].lower_ in ("the", "a", "an"):
            k += 1
        look = doc[k:min(len(doc), k + 6)].text
        if k < len(doc) and is_cap_word(doc[k].text) and has_role_head(look.split(",")[0]):
            return True
    for tok in doc[start:end]:
        if tok.dep_ in ("nsubj",) and is_speech_lemma(tok.head.lemma_) and tok.head.is_lower:
            return True
    if start > 0 and is_speech_lemma(doc[start - 1].lemma_) and doc[start - 1].pos_ == "VERB" and doc[start - 1].is_lower:
        return True
    return False


def cluster_mentions(mentions: Sequence[Mention]) -> list[Person]:
    """Group name mentions into doc-local persons.

    Longer names found first become persons; a shorter mention joins a person whose name
    contains it (``is_subname``) with a compatible honorific gender, the nearest preceding
    one when several fit. A single word that fits no person and has no honorific is dropped
    (it is more often a place or a product than a person), unless it speaks (``Grandi said``).
    """
    persons: list[Person] = []
    order = sorted(range(len(mentions)), key=lambda k: (mentions[k].headline, -len(mentions[k].name.split()),
                                                        mentions[k].tok_start))
    plain = {name_key_tokens(m.name) for m in mentions if not m.quoted and not m.headline}
    plain = {p for p in plain if len(p) >= 2}
    for k in order:
        m = mentions[k]
        toks = name_key_tokens(m.name)
        g = honorific_gender(m.honorific)
        if m.headline and not m.honorific:
            # headlines only add to persons found in the body: at most a given name before
            # the body's name; words after it, or more words before it, are the headline's
            # (``Jane Roe Says ...``, ``Jane Roe Hammers Acme Bank``)
            sup = [p for p in persons if is_subname(p.tokens, toks) and genders_compatible(g, p.gender)
                   and toks[-len(p.tokens):] == p.tokens]
            if len(sup) == 1 and len(toks) == len(sup[0].tokens) + 1:
                sup[0].name, sup[0].tokens = m.name, toks
        fits = [p for p in persons if (toks == p.tokens or is_subname(toks, p.tokens))
                and genders_compatible(g, p.gender)]
        if not fits and len(toks) == 1 and m.speaks:
            # a speaker called by the given name of the one person who has it (``Tedros said``)
            given = [p for p in persons if len(p.tokens) > 1 and p.tokens[0] == toks[0]]
            fits = given if len(given) == 1 else []
        if fits:
            def last_before(p: Person) -> int:
                before = [x.tok_start for x in p.mentions if x.tok_start <= m.tok_start]
                return max(before) if before else -1

            best = max(fits, key=lambda p: (last_before(p), -p.idx))
            best.mentions.append(m)
            m.person = best.idx
            best.gender = best.gender or g
            continue
        if m.quoted and not m.honorific and any(p != toks and is_subname(p, toks) for p in plain):
            continue  # a fuller form only a quotation uses (``Crooked Jane Roe``) is no name
        if (len(toks) == 1 and not m.speaks or m.headline) and not m.honorific:
            continue  # one word is a person only as a speaker (``Grandi said``)
        p = Person(idx=len(persons), name=m.name, tokens=toks, gender=g)
        p.mentions.append(m)
        m.person = p.idx
        persons.append(p)
    for p in persons:
        p.mentions.sort(key=lambda x: x.tok_start)
        hons = [x.honorific for x in p.mentions if x.honorific]
        p.honorific = hons[0] if hons else None
    persons.sort(key=lambda p: p.mentions[0].tok_start)
    for n, p in enumerate(persons):
        p.idx = n
        for x in p.mentions:
            x.person = n
    used: dict[str, int] = {}
    for p in persons:
        base = slugify(p.name)
        used[base] = used.get(base, 0) + 1
        p.key = base if used[base] == 1 else f"{base}-{used[base]}"
    return persons


# ---- title and organization from the text around a name
