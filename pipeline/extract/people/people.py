"""People in press releases: person mentions, their honorific, title and organization, the
in-release coreference of ``Ms. X`` / ``X`` / ``she`` / ``the expert``, and the corpus resolve.

Layout (after scispaCy's abbreviation.py): pure string helpers first (names, honorifics,
titles; testable without a model), then the spaCy-level helpers that read a parsed Doc, then
``resolve_people``, the corpus step over doc-local person rows (no re-parse).

Vocabularies live in ``pipeline/resources/honorifics.json`` and ``pipeline/resources/titles.json``.
"""
from __future__ import annotations

import bisect
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

from spacy.attrs import ENT_IOB, ENT_TYPE

from pipeline.extract.extensions import doc_text
from pipeline.resources import RESOURCES

DATA_DIR = RESOURCES

APOSTROPHES = "’'‘`´"
CONNECTORS = frozenset(
    "of for on and the against in to at with from & de des du la le del y und et".split()
)


# --------------------------------------------------------------------------- vocabularies
@dataclass(frozen=True)
class Vocab:
    """Rule data for people, loaded once from the JSON files."""

    honorific_forms: dict[str, str]          # casefolded variant (no final '.') -> canonical form
    honorific_gender: dict[str, str | None]  # canonical form -> gender
    multiword_honorifics: tuple[tuple[str, ...], ...]  # casefolded token tuples, longest first
    post_nominals: frozenset[str]
    pronoun_gender: dict[str, str]           # casefolded pronoun -> gender
    particles: frozenset[str]
    role_heads: tuple[str, ...]              # casefolded, longest first
    role_head_words: frozenset[str]          # casefolded single words that head titles
    role_modifiers: frozenset[str]
    portfolio_heads: frozenset[str]
    person_nouns: frozenset[str]
    org_heads: tuple[str, ...]
    org_head_words: frozenset[str]
    role_institutions: dict[str, str]        # casefolded role head -> casefolded institution noun
    representation_heads: frozenset[str]
    non_body_heads: frozenset[str]           # casefolded nouns that end names of non-bodies


@lru_cache(maxsize=16384)
def _fold(s: str) -> str:
    """Casefold and straighten apostrophes, for dictionary look-ups (memoized: every token
    of a release is folded, often several times)."""
    s = unicodedata.normalize("NFKC", s)
    for a in APOSTROPHES:
        s = s.replace(a, "'")
    return s.casefold()


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """Load honorifics.json and titles.json once."""
    hon = json.loads((DATA_DIR / "honorifics.json").read_text(encoding="utf-8"))
    tit = json.loads((DATA_DIR / "titles.json").read_text(encoding="utf-8"))
    forms: dict[str, str] = {}
    gender: dict[str, str | None] = {}
    multi: list[tuple[str, ...]] = []
    for h in hon["honorifics"]:
        gender[h["form"]] = h.get("gender")
        for v in h["variants"] + [h["form"]]:
            key = _fold(v).rstrip(".")
            forms[key] = h["form"]
            parts = tuple(p.rstrip(".") for p in _fold(v).split())
            if len(parts) > 1:
                multi.append(parts)
    pron = {_fold(p): g for g, ps in hon["pronouns"].items() for p in ps}
    role_heads = sorted({_fold(r) for r in tit["role_heads"]}, key=lambda r: (-len(r), r))
    head_words = {w for r in role_heads for w in re.split(r"[\s]+", r)} - {"of", "at"}
    head_words = {w for w in head_words if w not in {_fold(m) for m in tit["role_modifiers"]}}
    head_words |= {r for r in role_heads if " " not in r}
    org_heads = sorted({_fold(o) for o in tit["organization_heads"]}, key=lambda r: (-len(r), r))
    return Vocab(
        honorific_forms=forms,
        honorific_gender=gender,
        multiword_honorifics=tuple(sorted(set(multi), key=lambda t: -len(t))),
        post_nominals=frozenset(_fold(p).rstrip(".") for p in hon["post_nominals"]),
        pronoun_gender=pron,
        particles=frozenset(_fold(p) for p in hon["name_particles"]),
        role_heads=tuple(role_heads),
        role_head_words=frozenset(head_words),
        role_modifiers=frozenset(_fold(m) for m in tit["role_modifiers"]),
        portfolio_heads=frozenset(_fold(p) for p in tit["portfolio_heads"]),
        person_nouns=frozenset(_fold(p) for p in tit["person_nouns"]),
        org_heads=tuple(org_heads),
        org_head_words=frozenset(w for o in org_heads for w in o.split() if w not in CONNECTORS),
        role_institutions={_fold(k): _fold(v) for k, v in tit.get("role_institutions", {}).items()},
        representation_heads=frozenset(_fold(r) for r in tit.get("representation_heads", [])),
        non_body_heads=frozenset(_fold(r) for r in tit.get("non_body_heads", [])),
    )


# --------------------------------------------------------------------------- pure helpers: names
def honorific_form(word: str) -> str | None:
    """Canonical honorific for a written one (``Ms`` -> ``Ms.``), else None."""
    return vocab().honorific_forms.get(_fold(word).rstrip("."))


def honorific_gender(honorific: str | None) -> str | None:
    """'female' / 'male' / None, from a canonical or written honorific."""
    if not honorific:
        return None
    form = honorific_form(honorific) or honorific
    return vocab().honorific_gender.get(form)


def genders_compatible(a: str | None, b: str | None) -> bool:
    """Unknown gender fits anything; known genders must agree."""
    return a is None or b is None or a == b


def split_honorific(text: str) -> tuple[str | None, str]:
    """Split leading honorifics off a written name: ``H.E. Mr. John Doe`` -> (``H.E.``, ``John Doe``).

    The first honorific is the one reported; any further ones are dropped from the name.
    """
    words = text.split()
    first: str | None = None
    i = 0
    v = vocab()
    while i < len(words) - 1:
        matched = 0
        for mw in v.multiword_honorifics:
            n = len(mw)
            if tuple(_fold(w).rstrip(".") for w in words[i:i + n]) == mw and i + n < len(words):
                matched = n
                break
        if matched:
            form = v.honorific_forms.get(" ".join(_fold(w).rstrip(".") for w in words[i:i + matched]))
            first = first or form
            i += matched
            continue
        form = honorific_form(words[i])
        if form is None:
            break
        first = first or form
        i += 1
    return first, " ".join(words[i:])


def strip_post_nominals(name: str) -> str:
    """Drop post-nominal letters (``AO``, ``OBE``, ``PhD``) and a trailing comma before them."""
    words = name.split()
    while len(words) > 1 and _fold(words[-1]).strip(",").rstrip(".") in vocab().post_nominals:
        words.pop()
    return " ".join(words).rstrip(",")


def clean_name(text: str) -> tuple[str | None, str]:
    """Written mention -> (honorific, bare name): ``Ms. Ana Lopes`` -> (``Ms.``, ``Ana Lopes``)."""
    text = " ".join(text.split())
    text = re.sub(r"[’']s$", "", text)
    hon, rest = split_honorific(text)
    return hon, strip_post_nominals(rest)


def name_key_tokens(name: str) -> tuple[str, ...]:
    """Tokens a name is compared by: ASCII-folded, casefolded, apostrophes and dots dropped.

    ``Amira Ben M’barek`` and ``Amira Ben M'barek`` give the same tuple.
    """
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _fold(s).replace("'", "").replace(".", " ")
    return tuple(t for t in re.split(r"[^\w\-]+", s) if t and t != "-")


def slugify(name: str) -> str:
    """Stable person id from a name: ``Amira Ben M’barek`` -> ``amira-ben-mbarek``."""
    slug = "-".join(name_key_tokens(name))
    slug = re.sub(r"[^a-z0-9\-]+", "-", slug.encode("ascii", "ignore").decode())
    return re.sub(r"-{2,}", "-", slug).strip("-") or "unknown"


def is_subname(short: Sequence[str], full: Sequence[str]) -> bool:
    """Whether ``short`` names the same person as ``full``: its tokens occur in ``full`` in order
    and it keeps the first name or the surname (``Ben M’barek``, ``Amira Ben``, ``M’barek``).

    A single token must be one of the surname tokens (not the first name alone: ``Amira`` is
    too weak to link).
    """
    if not short or len(short) > len(full):
        return False
    it = iter(full)
    if not all(tok in it for tok in short):
        return False
    if len(short) == 1:
        return short[0] in full[1:]
    return short[0] == full[0] or short[-1] == full[-1]


def _is_cap_word(word: str) -> bool:
    return bool(word) and word[0].isupper() and any(c.isalpha() for c in word)


def looks_like_name(words: Sequence[str]) -> bool:
    """A plausible personal name: 1-5 capitalised words or particles, none of them a title,
    organization word, honorific, acronym or number."""
    v = vocab()
    if not 1 <= len(words) <= 5:
        return False
    if not (_is_cap_word(words[0]) and _is_cap_word(words[-1])):
        return False
    for w in words:
        f = _fold(w).rstrip(".")
        if f in v.particles:
            continue
        if not _is_cap_word(w) or any(c.isdigit() for c in w) or "@" in w or "_" in w:
            return False
        if f in v.role_head_words or f in v.org_head_words or f in v.role_modifiers:
            return False
        if f in v.honorific_forms or f in v.post_nominals:
            return False
        letters = [c for c in w if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters) and len(words) == 1:
            return False  # a lone acronym
    return True


# --------------------------------------------------------------------------- pure helpers: titles
def _words(s: str) -> list[str]:
    return re.findall(r"[\w’'\-\.&]+", s)


def has_role_head(phrase: str) -> bool:
    """Whether a phrase names a role (contains a title head word such as Director or Coordinator)."""
    v = vocab()
    f = " " + " ".join(_fold(w).strip(".,") for w in _words(phrase)) + " "
    if any(f" {h} " in f for h in v.role_heads):
        return True
    return any(_fold(w).strip(".,") in v.role_head_words for w in _words(phrase))


def _head_before(text: str) -> str | None:
    """The role head (casefolded) that ends ``text``, if any: 'Special Rapporteur' -> 'special rapporteur'."""
    f = " ".join(_fold(w).strip(".,") for w in _words(text))
    for h in vocab().role_heads:
        if f == h or f.endswith(" " + h):
            return h
    last = f.split(" ")[-1] if f else ""
    return last if last in vocab().role_head_words else None


ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&\-]{1,11}s?$")


def is_acronym(word: str) -> bool:
    """``UNODC``, ``OSRSG-CAAC``, ``IOM``: an all-capital short form."""
    w = word.strip("().,’'")
    return bool(ACRONYM_RE.match(w)) and sum(c.isupper() for c in w) >= 2


def org_like(phrase: str) -> bool:
    """Whether a capitalised phrase is itself an organization name, not a role
    (``Secretary-General on ...``) nor a place: it opens with an acronym, or its first
    segment (before the first ``of/for/in/at ...``) holds an organization head word
    (``United Nations Office`` on Drugs..., ``Ministry`` of ..., ``Open Hands Foundation``)."""
    v = vocab()
    words = [w.strip(".,()") for w in _words(phrase)]
    words = [w for w in words if w]
    if words and _fold(words[0]) == "the":
        words = words[1:]
    if not words:
        return False
    first = _fold(words[0])
    folded = " ".join(_fold(w) for w in words)
    if first in v.role_head_words or any(folded.startswith(h + " ") or folded == h
                                         for h in v.role_heads):
        return False
    if is_acronym(words[0]):
        return True
    seg: list[str] = []
    for w in words:
        if _fold(w) in CONNECTORS and _fold(w) not in ("and", "&"):
            break
        seg.append(_fold(re.sub(r"[’']s$", "", w)))
    f = " " + " ".join(seg) + " "
    return any(f" {h} " in f for h in v.org_heads)


def strip_acronym(org: str) -> tuple[str, str | None]:
    """``United Nations Office on Drugs and Crime (UNODC)`` -> (long form, ``UNODC``)."""
    org = org.strip().rstrip(",.;")
    m = re.match(r"^(.*?)\s*\(([^()]{2,15})\)$", org)
    if m and is_acronym(m.group(2)):
        return m.group(1).strip(), m.group(2)
    return org, None


def _strip_the(s: str) -> str:
    return re.sub(r"^(?:the|The|THE)\s+", "", s.strip())


_CONNECT_SPLIT = re.compile(r"\s(at|of|with|from|for|in|on)\s+(?:the\s+)?", re.I)


def _cap_run(s: str) -> str:
    """The leading run of a string that can be a proper name: capitalised words, connectors,
    an optional ``(ACR)``; stops at the first other lowercase word."""
    out: list[str] = []
    toks = re.findall(r"\([^()]*\)|[^\s()]+", s)
    for t in toks:
        bare = t.strip(",;")
        if t.startswith("("):
            if out and is_acronym(t.strip("()")):
                out.append(t)
            break
        if out and _fold(bare) == "at":
            break
        if _is_cap_word(bare) or is_acronym(bare) or (out and _fold(bare) in CONNECTORS):
            out.append(bare)
            if t.endswith((",", ";")):
                break
        else:
            break
    while out and _fold(out[-1]) in CONNECTORS:
        out.pop()
    return " ".join(out)


def _first_segment(phrase: str) -> list[str]:
    """Words of a name before its first connector (``Office`` of ``Office on Drugs ...``)."""
    seg: list[str] = []
    for w in _words(phrase):
        if seg and _fold(w) in CONNECTORS and _fold(w) not in ("and", "&"):
            break
        seg.append(w.strip(".,"))
    return [w for w in seg if w]


def work_unit_owner(run: str, is_whole_org: "Callable[[str], bool] | None" = None,
                    is_place: "Callable[[str], bool] | None" = None) -> str | None:
    """For ``<ACR> <unit of work>`` after ``of`` (``IOM Counter-Trafficking Programmes``,
    ``ACR Child Protection``) the acronym, else None.

    Releases name a person's programme or portfolio inside the employer by prefixing the
    employer's acronym; the unit is then part of the title, the acronym the organization. It
    is not a unit when what follows the acronym is itself organization-like (``ACR Regional
    Office``) or a place (``ACR Bangladesh``, a country office), is defined in brackets, or
    the whole run is one organization name (``is_whole_org``, e.g. ``UN Women`` from the
    organization mentions)."""
    words = run.split()
    if len(words) < 2 or not is_acronym(words[0]) or "(" in run:
        return None
    rest = " ".join(words[1:])
    if not _is_cap_word(words[1]) or org_like(rest):
        return None
    if any(_fold(w).strip(".,") in vocab().org_head_words for w in _first_segment(rest)):
        return None
    if is_whole_org is not None and is_whole_org(run):
        return None
    if is_place is not None and is_place(rest):
        return None
    return words[0].strip("().,")


def names_a_body(run: str) -> bool:
    """Whether ``the <run>`` after ``Director/Head/Founder of`` names a body the person runs:
    a proper name of two or more capitalised words whose last word (before any ``of/for ...``)
    is a singular noun that is neither a role, an event, a document nor a campaign
    (``the National Migrant Helpline``, not ``the Annual Report``, ``the Counter-Trafficking
    Programmes``). Conservative: one-word names (``the Republic``) never qualify."""
    v = vocab()
    seg = _first_segment(run)
    if len(seg) < 2 or not all(_is_cap_word(w) or is_acronym(w) for w in seg):
        return False
    last = _fold(seg[-1])
    if last in v.org_head_words:
        return True
    if last in v.role_head_words or last in v.non_body_heads:
        return False
    plural = last.endswith("s") and not last.endswith(("ss", "us", "is"))
    return not plural


def split_title_org(
    phrase: str,
    is_org: "Callable[[str], bool] | None" = None,
    is_place: "Callable[[str], bool] | None" = None,
    is_whole_org: "Callable[[str], bool] | None" = None,
) -> tuple[str | None, str | None]:
    """Split an appositive role into (title, organization).

    ``Executive Director of the United Nations Office on Drugs and Crime (UNODC)`` ->
    (``Executive Director``, ``United Nations Office on Drugs and Crime``);
    ``Special Representative of the Secretary-General for Children and Armed Conflict`` ->
    (the whole, None), because what follows ``of`` is a role, not an organization.
    ``is_org(text) -> bool`` may add outside knowledge (organization mentions, NER).
    A connector after a portfolio head (``Minister of``, ``Commissioner for``) only splits
    when what follows is clearly an organization (``at`` always may).
    ``of <ACR> <unit of work>`` (``Head of ACR Counter-Trafficking Programmes``) keeps the
    unit in the title and gives the acronym as organization (``work_unit_owner``);
    ``is_whole_org(text)`` says a text is exactly one organization name (``UN Women``), which
    vetoes that. A non-portfolio head ``of the <Proper Name>`` whose name ends like a body
    (``names_a_body``) splits the name off as organization even without other knowledge.
    """
    phrase = " ".join(phrase.split()).strip(" ,;:")
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I)
    if not phrase:
        return None, None
    v = vocab()
    for m in _CONNECT_SPLIT.finditer(phrase):
        left, conn, rest = phrase[: m.start()], m.group(1).lower(), phrase[m.end():]
        run = _cap_run(rest)
        if not run or not has_role_head(left):
            continue
        head = _head_before(left)
        if conn == "of":
            owner = work_unit_owner(run, is_whole_org, is_place)
            if owner:  # ``Head of ACR Child Protection``: the unit is the title's, ACR the employer
                return (phrase[: m.end()] + run).strip(" ,"), owner
            if (head not in v.portfolio_heads and re.search(r"\bthe\s+$", m.group(0), re.I)
                    and names_a_body(run) and not (is_place is not None and is_place(run))):
                return left.strip(" ,") or None, strip_acronym(run)[0]
        clear = org_like(run) or (is_org is not None and is_org(run))
        if not clear:
            continue
        if head in v.portfolio_heads and conn not in ("at", "with", "from") and not org_like(run):
            continue
        return left.strip(" ,") or None, strip_acronym(run)[0]
    # ORG's TITLE / ORG TITLE
    org, title = split_org_title(phrase, is_org, is_place)
    if org:
        return title, org
    return (title if title and has_role_head(title) else None), None


def split_org_title(phrase: str, is_org: "Callable[[str], bool] | None" = None,
                    is_place: "Callable[[str], bool] | None" = None) -> tuple[str | None, str | None]:
    """Split a role written before a name into (organization, title):
    ``IOM’s Director General`` -> (``IOM``, ``Director General``);
    ``UNODC Executive Director`` -> (``UNODC``, ``Executive Director``);
    ``Senior Protection Specialist`` -> (None, the whole)."""
    phrase = " ".join(phrase.split()).strip(" ,;:")
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.I)
    m = re.match(r"^(.+?)[’']s\s+(.+)$", phrase)
    if m and has_role_head(m.group(2)):
        if is_place is not None and is_place(m.group(1)):
            phrase = m.group(2)  # ``Thailand’s Representative``: a country is not the employer
        else:
            return _strip_the(m.group(1)), m.group(2)
    v = vocab()
    words = phrase.split()
    if not has_role_head(phrase):
        return None, None
    # the longest prefix that ends like an organization (acronym or head word) and leaves a role
    for i in range(len(words) - 1, 0, -1):
        org, title = " ".join(words[:i]), " ".join(words[i:])
        if not has_role_head(title) or _fold(words[i]) in CONNECTORS or _fold(words[i - 1]) in CONNECTORS:
            continue
        last = _fold(words[i - 1]).strip(".,")
        if is_acronym(words[i - 1]) or (last in v.org_head_words and org_like(org)):
            return org, title
    for i in range(len(words)):
        f = _fold(words[i]).strip(".,")
        if f in v.role_modifiers or f in v.role_head_words:
            if i == 0:
                break
            org, title = " ".join(words[:i]), " ".join(words[i:])
            if has_role_head(title) and is_org is not None and is_org(org):
                return org, title
            break
    return None, phrase


def title_head(title: str) -> str | None:
    """The role head of a title (casefolded): the longest role head ending its first segment,
    before any ``of/for/on ...`` complement. ``UN High Commissioner for Refugees`` -> ``high
    commissioner``; ``Thailand's ACWC Representative for Women's Rights`` -> ``representative``."""
    seg: list[str] = []
    for w in _words(title):
        if seg and _fold(w) in CONNECTORS - {"&"}:
            break
        seg.append(w)
    return _head_before(" ".join(seg)) if seg else None


def represents_place(phrase: str, is_place: "Callable[[str], bool] | None") -> str | None:
    """For ``<country>'s <representation role>`` (``Thailand's ACWC Representative for Women's
    Rights``, ``Norway's Ambassador to the UN``) the title without the possessor, else None.

    Why: a country's representative speaks for the country, which is not an organization
    here; a body named inside the title (``ACWC``) is where she represents it, not her employer.
    """
    if is_place is None:
        return None
    phrase = re.sub(r"^(?:the|a|an)\s+", "", " ".join(phrase.split()).strip(" ,;:"), flags=re.I)
    m = re.match(r"^(.+?)[’']s\s+(.+)$", phrase)
    if not m or not is_place(m.group(1)):
        return None
    head = title_head(m.group(2))
    return m.group(2) if head is not None and head in vocab().representation_heads else None


def institution_of_title(title: str | None, org_names: Sequence[str],
                         acronyms: "dict[str, str] | None" = None, context: str | None = None) -> str | None:
    """The organization a title's own words name through its head's institution, among the
    organization names a release writes: ``European Commissioner for External Relations`` with
    ``European Commission`` named in the release -> ``European Commission``; ``Minister of
    Labour`` with ``Ministry of Labour`` -> that ministry; ``EU Trade Commissioner`` with
    ``European Commission`` (EU -> European Union via ``acronyms``) -> ``European Commission``.

    The organization's head must be the institution of the title's head (titles.json
    'role_institutions') and every other word of its name must occur in the title (acronyms
    expanded), or in ``context`` (the organization already found for the title, so that
    ``EU`` + ``Home Affairs Commissioner`` gives the ``European Commission``, the EU
    institution the commissioner sits in). A bare ``Commission`` never matches.
    """
    if not title:
        return None
    v = vocab()
    head = title_head(title)
    inst = v.role_institutions.get(head.split()[-1]) if head else None
    if not inst:
        return None
    words: set[str] = set()
    for w in _words(title + " " + (context or "")):
        words.add(_fold(w).strip(".,"))
        if acronyms and w.strip(".,") in acronyms:
            words.update(_fold(x) for x in _words(acronyms[w.strip(".,")]))
    inst_words = inst.split()
    for name in org_names:
        nw = [_fold(w).strip(".,") for w in _words(_strip_the(strip_acronym(name)[0]))]
        # the institution noun heads the name's first segment (``X Commission``, ``Ministry of Y``)
        seg = []
        for w in nw:
            if seg and w in CONNECTORS:
                break
            seg.append(w)
        if seg[-len(inst_words):] != inst_words and nw[:len(inst_words)] != inst_words:
            continue
        rest = [w for w in nw if w not in CONNECTORS and w not in inst_words]
        if rest and all(w in words for w in rest):
            return name
    return None


def office_of_title(text: str, title: str | None) -> str | None:
    """The office a title-holder heads, when the release names it: for ``Special
    Representative of the Secretary-General on X`` the ``Office of the Special
    Representative ... on X``; for ``European Union Anti-Trafficking Coordinator`` the
    ``Office of the EU Anti-Trafficking Coordinator``. UN and EU mandate holders speak for
    their office. The office must end with the title's last two words (its head)."""
    if not title:
        return None
    tw = [w for w in name_key_tokens(title.replace("-", " ")) if w not in CONNECTORS]
    if len(tw) < 2:
        return None
    best = None
    for m in re.finditer(r"\bOffice of the\s+", text):
        run = _cap_run(text[m.start():m.start() + 250].replace("\n", " "))
        run = strip_acronym(run)[0]
        ow = [w for w in name_key_tokens(run.replace("-", " "))[3:] if w not in CONNECTORS]
        if len(ow) < 2:
            continue
        # the office names the title: its head words agree and it is mostly the title's words
        head_ok = ow[:2] == tw[:2] or ow[-2:] == tw[-2:]
        overlap = len(set(ow) & set(tw)) / len(set(ow))
        if head_ok and overlap >= 0.6:
            best = best or run
    return best


def acronym_map(text: str) -> dict[str, str]:
    """Long forms defined in a text as ``Long Form Name (ACR)``, keyed by acronym.

    Used to prefer the long form of a speaker's organization when no organization mentions
    are available; the first letters must agree.
    """
    out: dict[str, str] = {}
    for m in re.finditer(r"\(([A-Z][A-Za-z0-9\-]{1,14})\)", text):
        acr = m.group(1)
        if not is_acronym(acr):
            continue
        before = text[max(0, m.start() - 200): m.start()].rstrip()
        words = before.split(" ")
        run: list[str] = []
        for w in reversed(words):
            if "\n" in w:
                w = w.split("\n")[-1]
                if w and (_is_cap_word(w) or _fold(w) in CONNECTORS):
                    run.append(w)
                break
            if _is_cap_word(w) or (run and _fold(w) in CONNECTORS):
                run.append(w)
            else:
                break
        run.reverse()
        while run and (_fold(run[0]) in CONNECTORS or not _is_cap_word(run[0])):
            run.pop(0)
        if len(run) >= 2 and run[0][0].upper() == acr[0].upper() and acr not in out:
            out[acr] = " ".join(run).rstrip(",")
    return out


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
    return _is_cap_word(text) and honorific_form(text) is not None


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
    f = _fold(t).rstrip(".")
    if f in v.particles and is_lower:
        return True
    if not _is_cap_word(t) or any(c.isdigit() for c in t) or "@" in t or "_" in t:
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


def _name_run(doc, start: int, limit: int = 5) -> int:
    """End (exclusive) of the name tokens starting at ``start``."""
    end = start
    while end < len(doc) and end - start < limit:
        tok = doc[end]
        if end > start and _line_break_between(doc, end - 1, end):
            break
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
    surnames = {w for m in found for w in m.name.split()[1:] if _fold(w) not in vocab().particles}
    for i, tok in enumerate(toks):
        if taken[i] or tok.text not in surnames or tok.ent_type_ in _NOT_PERSON_ENTS:
            continue
        if (i + 1 < n and _is_name_token(toks[i + 1]) and not toks[i + 1].is_lower
                and not _line_break_between(doc, i, i + 1)):
            continue  # the start of another full name
        h = _honorific_before(doc, i)
        if h == i and i > 0 and _is_name_token(toks[i - 1]) and not toks[i - 1].is_lower \
                and not _line_break_between(doc, i - 1, i):
            continue  # the end of another full name
        m = _make_mention(doc, h, i, i + 1)
        if m and not in_org(m):
            add(m)
    found.sort(key=lambda m: m.tok_start)
    for m in found:
        m.subject = _subject_flag(doc, m)
        m.headline = _in_headline(doc_text(doc), m.start_char)
    return found


_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to vs with against via per nor".split())


def _in_headline(text: str, pos: int) -> bool:
    """Whether the line holding ``pos`` is title-case (a headline or menu line), where a
    capitalised pair of words is as likely a phrase as a name."""
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    line = text[s:e if e >= 0 else len(text)].strip()
    if not line or line[-1] in ".!?:”\"":
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w’'\-]*", line) if w.lower() not in _SMALL_WORDS]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) >= 0.8


def _name_context(doc, start: int, end: int) -> bool:
    """Whether a proper-noun run sits where a person's name does: after a role (``Director,
    X``), before an appositive role (``X, the Executive Director``), or as the subject of a
    speech verb."""
    from pipeline.extract.quotes.quotes import is_speech_lemma  # late import: quotes depends on people

    j = start - 1
    if j >= 0 and doc[j].text == ",":
        j -= 1
    if j >= 0 and (_fold(doc[j].text) in vocab().role_head_words or doc[j].text == ")"):
        return True
    k = end
    if k < len(doc) and doc[k].text == ",":
        k += 1
        if k < len(doc) and doc[k].lower_ in ("the", "a", "an"):
            k += 1
        look = doc[k:min(len(doc), k + 6)].text
        if k < len(doc) and _is_cap_word(doc[k].text) and has_role_head(look.split(",")[0]):
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
    (it is more often a place or a product than a person).
    """
    persons: list[Person] = []
    order = sorted(range(len(mentions)), key=lambda k: (mentions[k].headline, -len(mentions[k].name.split()),
                                                        mentions[k].tok_start))
    for k in order:
        m = mentions[k]
        toks = name_key_tokens(m.name)
        g = honorific_gender(m.honorific)
        if m.headline and not m.honorific:
            # headlines only add to persons found in the body (possibly with a fuller name)
            sup = [p for p in persons if is_subname(p.tokens, toks) and genders_compatible(g, p.gender)]
            if len(sup) == 1 and len(toks) > len(sup[0].tokens):
                sup[0].name, sup[0].tokens = m.name, toks
        fits = [p for p in persons if (toks == p.tokens or is_subname(toks, p.tokens))
                and genders_compatible(g, p.gender)]
        if fits:
            def last_before(p: Person) -> int:
                before = [x.tok_start for x in p.mentions if x.tok_start <= m.tok_start]
                return max(before) if before else -1

            best = max(fits, key=lambda p: (last_before(p), -p.idx))
            best.mentions.append(m)
            m.person = best.idx
            best.gender = best.gender or g
            continue
        if (len(toks) == 1 or m.headline) and not m.honorific:
            continue
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
_STOP_LOWER_POS = {"VERB", "AUX", "PRON", "SCONJ", "ADV", "PART", "DET", "NUM", "INTJ"}


def _starts_name_list(doc, j: int) -> bool:
    """Whether token j (after ``and``) starts another person's name: a PERSON entity, or two
    or more name-shaped words followed by ``from/of/at`` or a comma (``... Coordinator and
    Jane Roe from the Ministry``)."""
    if j < len(doc) and doc[j].ent_type_ == "PERSON":
        return True
    k = j
    while k < len(doc) and _is_name_token(doc[k]) and not doc[k].is_lower:
        k += 1
    if k - j < 2 or not looks_like_name([t.text for t in doc[j:k]]):
        return False
    return k < len(doc) and (doc[k].lower_ in ("from", "of", "at", ",", "(") )


def _appositive_after(doc, m: Mention, starts: set[int]) -> tuple[int, int] | None:
    """Token span of the role written after a name: ``X, Executive Director of Y (ACR)``.

    It runs over capitalised words, connectors, lowercase nouns and a parenthesised
    acronym, across commas only into another capitalised segment (``Team Leader on A, B and
    C at ORG``), and stops at a clause (``, who``, ``, speaking``, ``said``), at another
    person's name and at the end of the sentence.
    """
    i = m.tok_end
    n = len(doc)
    while i < n and _fold(doc[i].text).rstrip(".") in vocab().post_nominals:
        i += 1
    if i >= n or doc[i].text != "," or _line_break_between(doc, m.tok_end - 1, i):
        return None
    s = i + 1
    while s < n and doc[s].is_space:
        s += 1
    if s >= n:
        return None
    first = doc[s]
    if first.is_lower and first.lower_ not in ("the", "a", "an") and _fold(first.text) not in vocab().role_head_words:
        return None
    j = s
    seg_start = True
    last_ok = s
    depth = 0
    while j < n:
        tok = doc[j]
        if tok.is_space:
            if "\n" in tok.text and not (j + 1 < n and _soft_wrap(doc, j + 1)):
                break
            j += 1
            continue
        if j > s and _line_break_between(doc, j - 1, j) and not _soft_wrap(doc, j):
            break
        if j in starts and j != s:
            break
        t = tok.text
        if t == "(":
            depth += 1
            j += 1
            continue
        if t == ")":
            depth = max(0, depth - 1)
            j += 1
            last_ok = j
            continue
        if depth:
            j += 1
            continue
        if t in (".", ";", "!", "?", ":") or t in ("“", "”", '"', "‘", "’", "«", "»"):
            break
        if t == ",":
            k = j + 1
            while k < n and doc[k].is_space:
                k += 1
            nxt = doc[k] if k < n else None
            if nxt is None or not (_is_cap_word(nxt.text) or is_acronym(nxt.text)) or nxt.pos_ == "VERB":
                break
            if k in starts or doc[k].ent_type_ == "PERSON":
                break
            seg_start = True
            j = k
            continue
        if tok.lower_ in ("and", "&") and j + 1 < n and (j + 1 in starts or _starts_name_list(doc, j + 1)):
            break
        low = tok.is_lower or (not tok.is_alpha and not _is_cap_word(t))
        if seg_start and tok.lower_ in ("the", "a", "an"):
            j += 1
            seg_start = False
            continue
        seg_start = False
        if low and tok.lower_ not in CONNECTORS and tok.lower_ not in ("’s", "'s", "-", "–"):
            if tok.pos_ in _STOP_LOWER_POS or tok.pos_ == "ADP" or tok.lower_ in ("who", "which", "that"):
                break
            if _fold(t) not in vocab().role_head_words and tok.pos_ not in ("NOUN", "ADJ", "PROPN"):
                break
        if tok.ent_type_ == "DATE" or tok.like_num:
            break
        j += 1
        if not (low and tok.lower_ in CONNECTORS):
            last_ok = j
    if last_ok <= s:
        return None
    return s, last_ok


_WHO_ROLE = re.compile(
    r"^,?\s*who\s+(?:is|was|serves\s+as|served\s+as|acts\s+as|works\s+as|"
    r"(?:has\s+)?(?:assumed|took\s+up|holds|held|took\s+over)\s+(?:the\s+)?(?:role|post|position|function|mandate|office)\s+of)\s+",
    re.I)
_WHO_HEADS = re.compile(r"^,?\s*who\s+(heads|leads|chairs|directs|coordinates|manages|founded)\s+(?:the\s+)?", re.I)
_HEAD_TITLE = {"heads": "Head", "leads": "Head", "chairs": "Chair", "directs": "Director",
               "coordinates": "Coordinator", "manages": "Manager", "founded": "Founder"}


def _who_role(doc, m: Mention) -> tuple[str | None, str | None]:
    """``X, who is the Director of Y`` / ``who assumed the role of Special Rapporteur on Z`` /
    ``who heads the Y Section``: (title, organization)."""
    i = m.tok_end
    if i >= len(doc):
        return None, None
    rest = doc_text(doc)[doc[i].idx:doc[i].idx + 300].split("\n")[0]
    mm = _WHO_ROLE.match(rest)
    if mm:
        phrase = rest[mm.end():]
        phrase = re.split(r"[.;:]\s|,\s+(?=[a-z])|\s+(?:on|since|in|from)\s+\d|\s+(?:on|since|in)\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b", phrase)[0]
        phrase = re.split(r"\s+(?:and|who|which|where)\s+[a-z]", phrase)[0].rstrip(" .,")
        if has_role_head(phrase):
            return split_title_org(phrase)
        return None, None
    mm = _WHO_HEADS.match(rest)
    if mm:
        run = _cap_run(rest[mm.end():])
        if run:
            return _HEAD_TITLE[mm.group(1).lower()], run
    return None, None


def _soft_wrap(doc, j: int) -> bool:
    """Whether the line break before token j is a hard wrap inside a sentence (next line
    starts lowercase and the previous one does not end a sentence)."""
    prev = doc[j - 1]
    while prev.is_space and prev.i > 0:
        prev = doc[prev.i - 1]
    gap = doc_text(doc)[prev.idx + len(prev.text): doc[j].idx]
    if gap.count("\n") != 1:
        return False
    return doc[j].text[:1].islower() and prev.text not in (".", "!", "?", ":")


def _role_before(doc, m: Mention, taken: "set[int] | None" = None) -> tuple[int, int] | None:
    """Token span of the role written before a name: ``IOM’s Director General, Ms. X``,
    ``UNODC Executive Director X``, ``The Special Rapporteur on the right to food, X``.

    Not across a list conjunction (``..., and X``) nor across a verb or a sentence break.
    """
    j = m.tok_start - 1
    if j >= 0 and doc[j].text == ",":
        j -= 1
    if j < 0 or doc[j].lower_ in ("and", "or", "with", "by", "&"):
        return None
    end = j + 1
    v = vocab()
    while j >= 0:
        tok = doc[j]
        if _line_break_between(doc, j, j + 1) and not _soft_wrap(doc, j + 1):
            break
        t = tok.text
        f = _fold(t)
        if taken and j in taken:
            break
        if t == ")" and not (j >= 2 and doc[j - 2].text == "(" and is_acronym(doc[j - 1].text)):
            break
        ok = (_is_cap_word(t) or is_acronym(t) or t in ("(", ")", "-", "’s", "'s", "&")
              or tok.lower_ in CONNECTORS or f in v.role_head_words or f in v.person_nouns
              or (tok.is_lower and tok.pos_ in ("NOUN", "ADJ", "VERB") and end - j < 10
                  and tok.dep_ in ("pobj", "pcomp", "compound", "amod", "nmod", "conj")))
        if tok.pos_ in ("VERB", "AUX") and tok.is_lower and tok.dep_ not in ("pobj", "pcomp", "compound", "amod"):
            ok = False
        if not ok:
            break
        j -= 1
    start = j + 1
    # begin at the first capitalised word, acronym or role word
    while start < end and not (_is_cap_word(doc[start].text) or is_acronym(doc[start].text)
                               or _fold(doc[start].text) in v.role_head_words):
        start += 1
    while end > start and doc[end - 1].lower_ in CONNECTORS:
        end -= 1
    if end <= start or not has_role_head(doc[start:end].text):
        return None
    return start, end


def _locator(doc, base: int, size: int) -> Callable[[str], tuple[int, int] | None]:
    """``locate(text)``: the character span of ``text``'s first occurrence within ``size``
    characters after ``base``, or None."""
    window = doc_text(doc)[base: base + size]

    def locate(text: str) -> tuple[int, int] | None:
        k = window.find(text)
        return None if k < 0 else (base + k, base + k + len(text))

    return locate


class Entity(NamedTuple):
    """What the people finder reads of one of ``doc.ents``."""

    label: str
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    text: str


_entities: tuple | None = None  # (doc, entity annotation bytes, entities) of the Doc in hand


def entities(doc) -> list[Entity]:
    """``doc.ents`` as plain tuples, built once while the Doc's entities stay the same.

    spaCy builds every entity Span again on each ``doc.ents``, walking all the tokens; the
    people finder asks for them once per title it reads.
    """
    key = doc.to_array([ENT_IOB, ENT_TYPE]).tobytes()
    global _entities
    cached = _entities  # one read: safe if another thread switches Docs meanwhile
    if cached is not None and cached[0] is doc and cached[1] == key:
        return cached[2]
    found = [Entity(e.label_, e.start, e.end, e.start_char, e.end_char, e.text) for e in doc.ents]
    _entities = (doc, key, found)
    return found


def _place_spans(doc) -> list[tuple[int, int]]:
    return [(e.start_char, e.end_char) for e in entities(doc) if e.label in ("GPE", "NORP", "LOC")]


class _Spans:
    """Character spans indexed by start, for the questions the role readers ask of every
    mention: which spans start near a place, which cover a range. Any spans (they may
    overlap); answers are those of a scan over all of them, found by bisecting instead (a
    scan per mention made releases with many names and organizations quadratic)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.items = sorted((int(s), int(e), n) for n, (s, e) in enumerate(spans))
        self.starts = [s for s, _, _ in self.items]
        self.reach: list[int] = []
        for _, e, _ in self.items:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def near(self, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """(start, end, index) of the spans starting in [lo, hi]."""
        return self.items[bisect.bisect_left(self.starts, lo):bisect.bisect_right(self.starts, hi)]

    def reaching(self, pos: int, end: int) -> list[tuple[int, int, int]]:
        """(start, end, index) of the spans that start at or before ``pos`` and end at or
        after ``end``."""
        out = []
        k = bisect.bisect_right(self.starts, pos) - 1
        while k >= 0 and self.reach[k] >= end:
            if self.items[k][1] >= end:
                out.append(self.items[k])
            k -= 1
        return out


_span_index: list = []  # [key objects, indexes] of the Doc in hand (compared by identity)


def _doc_spans(doc, org_spans: Sequence[tuple[int, int]]) -> dict[str, _Spans]:
    """Indexes of the Doc's organization spans, ORG entities and place entities, built once
    per Doc and organization list (both are compared by identity, as in :func:`entities`)."""
    ents = entities(doc)
    key = (doc, org_spans, ents)
    if _span_index and all(a is b for a, b in zip(_span_index[0], key)):
        return _span_index[1]
    orgs = [(s, e) for s, e in org_spans]
    ner_orgs = [(e.start_char, e.end_char) for e in ents if e.label == "ORG"]
    built = {"orgs": _Spans(orgs), "orgs_and_ner": _Spans(orgs + ner_orgs),
             "places": _place_index(doc)}
    _span_index[:] = [key, built]
    return built


_place_cache: list = []  # [(doc, entities), index]


def _place_index(doc) -> _Spans:
    """Index of the Doc's place entities (GPE, NORP, LOC), built once per Doc."""
    key = (doc, entities(doc))
    if not (_place_cache and all(a is b for a, b in zip(_place_cache[0], key))):
        _place_cache[:] = [key, _Spans(_place_spans(doc))]
    return _place_cache[1]


def _org_checker(doc, org_spans: Sequence[tuple[int, int]], base: int):
    """``is_org(text)`` for ``split_title_org``: the text is (or starts) an organization
    mention or an NER ORG entity near ``base``."""
    index = _doc_spans(doc, org_spans)
    spans, gpe = index["orgs_and_ner"], index["places"]
    locate = _locator(doc, base, 400)

    def is_org(text: str) -> bool:
        found = locate(text)
        if found is None:
            return False
        s, e = found
        if gpe.reaching(s, max(s + 1, e - 1)):  # a place entity holds its start: gs <= s < ge, ge >= e - 1
            return False
        return any(oe >= s + min(len(text), 4) for _, oe, _ in spans.near(s - 4, s + 4))

    return is_org


def _whole_org_checker(doc, org_spans: Sequence[tuple[int, int]], base: int):
    """``is_whole_org(text)``: the text near ``base`` is exactly one organization mention (the
    organization component's, not NER, which also tags ``ACR Child Protection``)."""
    spans = _doc_spans(doc, org_spans)["orgs"]
    locate = _locator(doc, base, 400)

    def is_whole_org(text: str) -> bool:
        found = locate(text)
        return found is not None and any(oe >= found[1] - 1
                                         for _, oe, _ in spans.near(found[0] - 4, found[0] + 4))

    return is_whole_org


def _expand_org(org: str | None, doc, org_mentions: Sequence[dict], acr: dict[str, str], at: int) -> str | None:
    """Organization text for output: long form preferred (from organization mentions, else a
    ``Long Form (ACR)`` definition in the release), without ``the`` and ``(ACR)``."""
    if not org:
        return None
    long, acronym = strip_acronym(_strip_the(org))
    long = re.sub(r"[’']s$", "", long).strip(" ,")
    for om in org_mentions:
        s, e = om.get("start_char", -1), om.get("end_char", -1)
        if s <= at + 600 and e >= at - 600 and om.get("text") and _fold(_strip_the(om["text"])) == _fold(long):
            if om.get("name"):
                return _strip_the(om["name"])
    if is_acronym(long):
        for om in org_mentions:
            if om.get("acronym") == long and om.get("name"):
                return _strip_the(om["name"])
        if long in acr:
            return acr[long]
    return long or None


def _its_org(doc, tok_i: int, org_spans: Sequence[tuple[int, int]]) -> str | None:
    """For ``its Director X``: the organization mentioned last before it in the sentence."""
    sent = doc[tok_i].sent
    best = None
    ents = [(e.start_char, e.end_char, e.text) for e in entities(doc) if e.label == "ORG"]
    spans = [(s, e, doc_text(doc)[s:e]) for s, e in org_spans] + ents
    for s, e, t in spans:
        if sent.start_char <= s and e <= doc[tok_i].idx:
            if best is None or s > best[0]:
                best = (s, t)
    return best[1] if best else None


def role_context(doc, m: Mention, org_spans: Sequence[tuple[int, int]], org_mentions: Sequence[dict],
                 acr: dict[str, str], starts: set[int],
                 starts_tokens: "set[int] | None" = None) -> tuple[str | None, str | None]:
    """(title, organization) stated beside one name mention, or (None, None).

    ``starts`` are the first tokens of all name mentions, ``starts_tokens`` all their tokens
    (a role never runs into another person's name)."""
    title = org = None
    country = False  # the role represents a country: no organization from the title
    after = _appositive_after(doc, m, starts)
    if after:
        s, e = after
        phrase = doc[s:e].text
        if has_role_head(phrase):
            place = _place_checker(doc, doc[s].idx)
            rep = represents_place(phrase, place)
            if rep:
                title, country = rep, True
            else:
                title, org = split_title_org(phrase, _org_checker(doc, org_spans, doc[s].idx), place,
                                             _whole_org_checker(doc, org_spans, doc[s].idx))
                org = _office_mention(doc, after, org_mentions) or org
    before = _role_before(doc, m, starts_tokens)
    if before:
        s, e = before
        phrase = doc[s:e].text
        poss = s > 0 and doc[s - 1].lower_ in ("its", "their")
        checker = _org_checker(doc, org_spans, doc[s].idx)
        place = _place_checker(doc, doc[s].idx)
        rep = represents_place(phrase, place)
        if rep:
            o2, t2 = None, rep
            country = country or title is None
        else:
            o2, t2 = split_org_title(phrase, checker, place)
            if t2:
                t3, o3 = split_title_org(t2, checker)
                if o3:
                    t2, o2 = t3, o2 or o3
            o2 = _office_mention(doc, before, org_mentions) or o2
        if title is None and t2:
            title = t2
        if org is None and not country:
            org = o2 or (_its_org(doc, s, org_spans) if poss else None)
    if title is None:
        title, o = _who_role(doc, m)
        org = org or o
    if org is None and not country:
        org = _org_after(doc, m, after)
    if org is None and not country:
        org = _org_before(doc, m)
    if title:
        title = re.sub(r"^(?:the|a|an)\s+", "", " ".join(title.split()), flags=re.I).strip(" ,") or None
    return title, _expand_org(org, doc, org_mentions, acr, m.start_char)


def _office_mention(doc, span: tuple[int, int], org_mentions: Sequence[dict]) -> str | None:
    """The organization a title itself names: the longest organization mention that covers a
    role head word of the title tokens ``span`` (``UN High Commissioner for Refugees`` is a
    mention of UNHCR, so its holder speaks for UNHCR, not for the bare ``UN`` split off its
    front). A mention beside the head (``Director of UNODC``) does not count here."""
    s, e = span
    heads = [(t.idx, t.idx + len(t.text)) for t in doc[s:e] if _fold(t.text) in vocab().role_head_words]
    if not heads:
        return None
    index = _mention_spans(org_mentions)
    covering = {n for hs, he in heads for _, _, n in index.reaching(hs, he)}
    if not covering:
        return None
    # the longest; on a tie the first in the list, as a scan keeping the first maximum would
    spans = [(int(org_mentions[n].get("end_char", -1)) - int(org_mentions[n].get("start_char", -1)), -n)
             for n in covering]
    best = org_mentions[-max(spans)[1]]
    return best.get("name") or best.get("text")


_mentions_cache: list = []  # [org_mentions, index]


def _mention_spans(org_mentions: Sequence[dict]) -> _Spans:
    """Index of the organization mentions' spans, built once per list (compared by identity)."""
    if not (_mentions_cache and _mentions_cache[0] is org_mentions):
        _mentions_cache[:] = [org_mentions, _Spans([(int(m.get("start_char", -1)), int(m.get("end_char", -1)))
                                                   for m in org_mentions])]
    return _mentions_cache[1]


def _place_checker(doc, base: int):
    """``is_place(text)``: the text is a country, city or nationality by NER (not an employer)."""
    gpe = _place_index(doc)
    locate = _locator(doc, base, 300)

    def is_place(text: str) -> bool:
        found = locate(text)
        return found is not None and bool(gpe.reaching(found[0], found[1] - 1))

    return is_place


_BEHALF_BEFORE = re.compile(r"(?:^|[\s,])(?:speaking\s+)?(?:on\s+behalf\s+of|representing)\s+(?:the\s+)?(.+?)\s*,\s*$",
                            re.I)


def _org_before(doc, m: Mention) -> str | None:
    """``Speaking on behalf of ORG, X said`` / ``Representing ORG, X ...``."""
    sent = doc[m.tok_start].sent
    before = doc_text(doc)[sent.start_char:m.start_char]
    mm = _BEHALF_BEFORE.search(before)
    if not mm:
        return None
    run = _cap_run(mm.group(1))
    return run if run and run == mm.group(1).strip() else None


def _org_after(doc, m: Mention, after: tuple[int, int] | None) -> str | None:
    """``X of/from/at ORG``, ``X, representing ORG``, ``X, speaking on behalf of ORG``."""
    i = after[1] if after else m.tok_end
    full = doc_text(doc)
    at = doc[i].idx if i < len(doc) else len(full)
    text = full[at:at + 300]  # not full[at:][:300], which copied the rest of the release per name
    text = text.split("\n")[0]
    paren = re.match(r"^\s*\(([^()]{2,80})\)", text)
    if paren and not after and (is_acronym(paren.group(1)) or org_like(paren.group(1))):
        return paren.group(1)  # ``Ms. X (UNHCR) said``
    pat = re.compile(
        r"^,?\s*(?:(?:of|from|at)\s+|,?\s*representing\s+|,?\s*(?:speaking\s+|who\s+spoke\s+)?on\s+behalf\s+of\s+)"
        r"(?:the\s+)?(.+)$", re.I)
    mm = pat.match(text)
    if not mm:
        return None
    run = _cap_run(mm.group(1))
    return run if run and (org_like(run) or len(run.split()) >= 1 and _is_cap_word(run)) else None


# ---- pronouns and definite descriptions
MAX_SENTENCE_TOKENS = 400  # a longer parser sentence is no prose (a flattened table or list)


@dataclass
class PeopleIndex:
    """Doc-local persons plus what the quote finder needs to resolve references to them."""

    doc: object
    persons: list[Person]
    mentions: list[Mention]                      # clustered name mentions, text order
    by_token: dict[int, Mention]
    _pron_cache: dict[int, int | None] = field(default_factory=dict)
    _desc_cache: dict[int, int | None] = field(default_factory=dict)
    _sents: list | None = None
    _sent_starts: list[int] = field(default_factory=list)
    _desc_keys: list[int] = field(default_factory=list)  # keys of _desc_cache, sorted
    _mentions_sorted: tuple | None = None
    _pron_subjects: dict[int, list[int]] = field(default_factory=dict)

    def person(self, idx: int | None) -> Person | None:
        return self.persons[idx] if idx is not None and 0 <= idx < len(self.persons) else None

    def mention_at(self, i: int) -> Mention | None:
        """The name mention covering token i, if any."""
        return self.by_token.get(i)

    def add_reference(self, person_idx: int, start_char: int, end_char: int, text: str, kind: str) -> None:
        """Record a resolved pronoun or description as a mention of a person."""
        p = self.person(person_idx)
        if p is None:
            return
        if any(x.start_char == start_char and x.end_char == end_char for x in p.mentions):
            return
        p.mentions.append(Mention(-1, -1, start_char, end_char, text, "", None, kind=kind, person=person_idx))

    def _salient(self, before_char: int) -> list[tuple[int, Mention]]:
        return [(m.start_char, m) for m in self.mentions if m.end_char <= before_char and m.person is not None]

    def _sentences(self) -> list:
        if self._sents is None:
            self._sents = list(self.doc.sents)
            self._sent_starts = [s.start for s in self._sents]
        return self._sents

    def _sent_index(self, i: int) -> int:
        self._sentences()
        return max(0, bisect.bisect_right(self._sent_starts, i) - 1)

    def _refs_in(self, sent, before_i: int) -> list[tuple[int, int, bool]]:
        """(token index, person, is_subject) of the references to persons in a sentence
        before token ``before_i``: name mentions, resolved descriptions and subject pronouns."""
        return self._drive(self._refs_in_steps(sent, before_i))

    def _refs_in_steps(self, sent, before_i: int):
        """:meth:`_refs_in` as a generator that yields each pronoun it needs resolved and is
        sent back the person (see :meth:`_drive`).

        A "sentence" longer than ``MAX_SENTENCE_TOKENS`` is no prose (a table or a list
        flattened by a converter) and holds no references: reading it for every pronoun
        after it was quadratic."""
        if len(sent) > MAX_SENTENCE_TOKENS:
            return []
        lo, hi = sent.start, min(sent.end, before_i)
        out: list[tuple[int, int, bool]] = []
        starts, ordered = self._mention_index()
        for n in range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)):
            m = ordered[n]
            if m.person is not None:
                out.append((m.tok_start, m.person, m.subject))
        for n in range(bisect.bisect_left(self._desc_keys, lo), bisect.bisect_left(self._desc_keys, hi)):
            i = self._desc_keys[n]
            pidx = self._desc_cache[i]
            if pidx is not None:
                out.append((i, pidx, self.doc[i].dep_ in ("nsubj", "nsubjpass")))
        for i in self._subject_pronouns(sent):
            if i >= before_i:
                break
            pidx = yield self.doc[i]
            if pidx is not None:
                out.append((i, pidx, True))
        out.sort()
        return out

    def _mention_index(self) -> tuple[list[int], list[Mention]]:
        """The name mentions sorted by first token, with their first tokens, for bisecting."""
        if self._mentions_sorted is None:
            ordered = sorted(self.mentions, key=lambda m: m.tok_start)
            self._mentions_sorted = ([m.tok_start for m in ordered], ordered)
        return self._mentions_sorted

    def _subject_pronouns(self, sent) -> list[int]:
        """Token indices of the subject pronouns (he, she…) of a sentence, found once."""
        got = self._pron_subjects.get(sent.start)
        if got is None:
            pron = vocab().pronoun_gender
            got = self._pron_subjects[sent.start] = [
                t.i for t in sent
                if t.lower_ in pron and t.pos_ == "PRON" and t.dep_ in ("nsubj", "nsubjpass")]
        return got

    def resolve_pronoun(self, tok) -> int | None:
        """Person a third-person singular pronoun refers to.

        Hobbs-style: a subject earlier in the same sentence, else, going back sentence by
        sentence (at most six), that sentence's subject reference, else its first one. Subject
        pronouns count once resolved, so ``he`` chains to the last ``he``. The person's gender
        (from honorifics) must agree with the pronoun's.
        """
        if tok.i in self._pron_cache:
            return self._pron_cache[tok.i]
        return self._drive(self._resolve_steps(tok))

    def _drive(self, steps):
        """Run a resolution generator without recursion: each pronoun it yields is resolved
        by a generator of its own, run on an explicit stack, and the person is sent back.
        The steps and their order are those of plain recursion."""
        stack, value = [steps], None
        while stack:
            try:
                tok = stack[-1].send(value)
            except StopIteration as done:
                stack.pop()
                value = done.value
                continue
            value = None
            stack.append(self._resolve_steps(tok))
        return value

    def _resolve_steps(self, tok):
        """:meth:`resolve_pronoun` as a generator (see :meth:`_drive`): a pronoun resolves
        through the pronouns before it, which chain back sentence after sentence; run as
        plain recursion, a long release of ``He …`` sentences overflowed Python's stack."""
        if tok.i in self._pron_cache:
            return self._pron_cache[tok.i]
        self._pron_cache[tok.i] = None  # guards against cycles
        g = vocab().pronoun_gender.get(_fold(tok.text))
        result = None
        if g is not None:
            sents = self._sentences()
            k = self._sent_index(tok.i)

            def ok(pidx: int) -> bool:
                return genders_compatible(g, self.persons[pidx].gender)

            refs = yield from self._refs_in_steps(sents[k], tok.i)
            same = [r for r in refs if r[2] and ok(r[1])]
            if same:
                result = same[-1][1]
            else:
                for back in range(1, 7):
                    if k - back < 0:
                        break
                    sent = sents[k - back]
                    refs = yield from self._refs_in_steps(sent, sent.end)
                    inside = [r for r in refs if ok(r[1])]
                    if not inside:
                        continue
                    subj = [r for r in inside if r[2]]
                    result = (subj[0] if subj else inside[0])[1]
                    break
        self._pron_cache[tok.i] = result
        return result

    def resolve_description(self, head) -> int | None:
        """Person a definite description refers to (``the expert``, ``The UNHCR chief``,
        ``the Special Rapporteur``): the person whose title has the head noun (and whose
        organization is named in it), else, for a generic person noun, the last person
        who was a subject before it."""
        if head.i in self._desc_cache:
            return self._desc_cache[head.i]
        v = vocab()
        h = _fold(head.text)
        result = None
        left = [t for t in head.subtree if t.i <= head.i]
        det = left[0].lower_ if left else ""
        definite = det in ("the", "its", "their") or any(t.dep_ == "poss" for t in head.children)
        if definite:
            words = {_fold(t.text) for t in left}
            best = None
            for m in self._salient(head.idx):
                _, mm = m
                p = self.persons[mm.person]
                score = 0
                if p.title and h in {_fold(w) for w in _words(p.title)}:
                    score += 2
                    if all(_fold(w) in {_fold(x) for x in _words(p.title)} | CONNECTORS | {"the"}
                           for w in (t.text for t in left if t.is_alpha and t.i != head.i and not t.is_lower)):
                        score += 1
                if p.organization and (words & {_fold(w) for w in _words(p.organization)}
                                       or any(_fold(a) in words for a in _acronyms_of(p.organization, doc_text(self.doc)))):
                    score += 2
                if score and (best is None or (score, mm.start_char) >= (best[0], best[1])):
                    best = (score, mm.start_char, mm.person)
            if best:
                result = best[2]
            elif h in v.person_nouns and det == "the":
                # ``the expert`` is the last person spoken of; ``its spokesperson`` is not
                subj = [m for _, m in self._salient(head.idx) if m.subject]
                if subj:
                    result = subj[-1].person
        if result is None and det in ("the", "a", "an"):
            result = self._cataphor(head, h)
        if head.i not in self._desc_cache:
            bisect.insort(self._desc_keys, head.i)
        self._desc_cache[head.i] = result
        return result

    def _cataphor(self, head, h: str, window: int = 3) -> int | None:
        """Person a description names ahead of the name, as a release's lead does (``..., a UN
        human rights expert said today.`` then ``The Special Rapporteur on X, Ana Ruiz, ...``).

        The single person named later whose title has the head noun; else, for a generic
        person noun (``expert``, ``official``), the single person named in the next
        ``window`` sentences. Two candidates: ambiguous, None.
        """
        end = head.idx + len(head.text)
        v = vocab()
        named = [t.text for t in head.subtree if t.i < head.i and t.is_alpha and not t.is_lower
                 and _fold(t.text) not in v.role_modifiers | v.role_head_words]

        def fits(pidx: int) -> bool:
            # ``the UNODC chief`` is not the person of another organization
            org = self.persons[pidx].organization
            return not named or not org or any(names_organization(w, org, doc_text(self.doc)) for w in named)

        after = [m for m in self.mentions if m.start_char >= end and m.person is not None and fits(m.person)]
        titled = list(dict.fromkeys(m.person for m in after if self.persons[m.person].title
                                    and h in {_fold(w) for w in _words(self.persons[m.person].title)}))
        if len(titled) == 1:
            return titled[0]
        if titled or h not in vocab().person_nouns:
            return None
        sents = self._sentences()
        k = self._sent_index(head.i)
        last, seen = k, 0
        while last + 1 < len(sents) and seen < window:
            last += 1
            if any(t.is_alpha for t in sents[last]):
                seen += 1
        limit = sents[last].end_char
        near = list(dict.fromkeys(m.person for m in after if m.start_char < limit))
        return near[0] if len(near) == 1 else None


def names_organization(word: str, org: str, text: str = "") -> bool:
    """Whether a word of a description names an organization: one of its words, an acronym the
    release defines for it, or the initials of a run of its words (``UN`` and ``UNODC`` for
    ``United Nations Office on Drugs and Crime``)."""
    words = [w for w in _words(org) if _fold(w) not in CONNECTORS]
    f = _fold(word)
    if f in {_fold(w) for w in words} or word in _acronyms_of(org, text):
        return True
    if not is_acronym(word):
        return False
    initials = "".join(w[0] for w in words).upper()
    return word.upper() in initials


def _acronyms_of(org: str, text: str) -> list[str]:
    """Acronyms a release defines for an organization name."""
    return [a for a, long in acronym_map(text).items() if _fold(long) == _fold(org)]


def build_people(doc, org_mentions: Sequence[dict] | None = None) -> PeopleIndex:
    """Find, cluster and describe the persons of a Doc."""
    org_mentions = list(org_mentions or [])
    org_spans = [(int(o["start_char"]), int(o["end_char"])) for o in org_mentions
                 if "start_char" in o and "end_char" in o]
    mentions = find_name_mentions(doc, org_spans)
    persons = cluster_mentions(mentions)
    clustered = [m for m in mentions if m.person is not None]
    by_token = {k: m for m in clustered for k in range(m.tok_start, m.tok_end)}
    starts = {m.tok_start for m in clustered}
    acr = acronym_map(doc_text(doc))
    org_names = list(dict.fromkeys(n for o in org_mentions for n in (o.get("name"), o.get("text")) if n))
    org_acronyms = {**acr, **{o["acronym"]: o["name"] for o in org_mentions if o.get("acronym") and o.get("name")}}
    for p in persons:
        found: list[tuple[tuple, str | None, str | None]] = []
        for m in p.mentions:
            title, org = role_context(doc, m, org_spans, org_mentions, acr, starts, set(by_token))
            if title or org:
                capital = bool(title) and any(_is_cap_word(w) and _fold(w) in vocab().role_head_words | vocab().role_modifiers
                                              for w in _words(title))
                rank = (not capital, title is None, len(m.name.split()) < 2, m.headline, m.tok_start)
                found.append((rank, title, org))
        found.sort(key=lambda f: f[0])
        for _, title, org in found:
            if title and not p.title:
                p.title = title
                p.organization = org or p.organization
            if org and not p.organization:
                p.organization = org
        if not p.title and p.honorific and has_role_head(p.honorific):
            p.title = p.honorific  # ``Ambassador X``: the style is the role
        office = office_of_title(doc_text(doc), p.title)
        if office:
            p.organization = _expand_org(office, doc, org_mentions, acr, p.mentions[0].start_char)
        if p.title:
            # the institution the title's head sits in, when the release names it: it is the
            # organization, or a more precise one inside the organization found (EU -> its Commission)
            inst = institution_of_title(p.title, org_names, org_acronyms, p.organization)
            if inst:
                p.organization = _expand_org(inst, doc, org_mentions, acr, p.mentions[0].start_char)
    return PeopleIndex(doc=doc, persons=persons, mentions=clustered, by_token=by_token)


# --------------------------------------------------------------------------- corpus resolve
@dataclass
class PeopleResolution:
    """Result of ``resolve_people``: corpus person rows and the doc-local key -> person_id map."""

    people: list[dict]
    _ids: dict[tuple[str, str], str]

    def person_id_for(self, doc_id: str, key: str) -> str | None:
        """person_id of a doc-local person, or None if the key is unknown."""
        return self._ids.get((doc_id, key))


def _pick_display(forms: Iterable[str]) -> str:
    """Deterministic display form among spellings of one name: most frequent, then the one
    with typographic apostrophes/diacritics kept, then the smallest string."""
    counts: dict[str, int] = {}
    for f in forms:
        counts[f] = counts.get(f, 0) + 1
    return sorted(counts, key=lambda f: (-counts[f], -len(f.encode("utf-8")), f))[0]


def resolve_people(persons: list[dict]) -> PeopleResolution:
    """Link doc-local persons across the corpus, without re-parsing.

    Each input is a doc-local person dict (``key``, ``name``, ``honorific``, ...) plus
    ``doc_id``. Rules, applied to the distinct normalised names (``name_key_tokens``):

    1. Equal names are one person.
    2. A name that is a sub-name (``is_subname``) of exactly one *maximal* name (one that is
       no sub-name of another) with a compatible honorific gender joins that person: ``Amira
       Ben`` and ``Ben M’barek`` join ``Amira Ben M’barek``; a surname alone (``Lind``)
       joins the single person with that surname.
    3. Ambiguous (fits two or more maximal names) or fits none: the name stays unlinked and
       becomes its own row (its own person_id), so no quote is given to the wrong person.

    ``person_id`` is the slug of the fullest name; the display name is the most frequent
    spelling of that name. Output rows are sorted by person_id and do not depend on input
    order. Adding a release may merge rows (a new full name can absorb surname-only rows).
    """
    groups: dict[tuple[str, ...], list[dict]] = {}
    for p in persons:
        toks = name_key_tokens(p.get("name") or "")
        if not toks:
            continue
        groups.setdefault(toks, []).append(p)

    def gender_of(rows: list[dict]) -> set[str]:
        return {g for g in (honorific_gender(r.get("honorific")) for r in rows) if g}

    names = sorted(groups, key=lambda t: (-len(t), t))
    maximal = [n for n in names if not any(o != n and is_subname(n, o) for o in names if len(o) > len(n))
               and len(n) > 1]
    root_of: dict[tuple[str, ...], tuple[str, ...]] = {n: n for n in maximal}
    for n in names:
        if n in root_of:
            continue
        g = gender_of(groups[n])
        fits = [r for r in maximal if is_subname(n, r)
                and all(genders_compatible(a, b) for a in g for b in (gender_of(groups[r]) or {None}))]
        root_of[n] = fits[0] if len(fits) == 1 else n
    members: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for n, r in root_of.items():
        members.setdefault(r, []).append(n)

    rows: list[dict] = []
    ids: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for root in sorted(members):
        rows_in = [p for n in members[root] for p in groups[n]]
        display = _pick_display(p["name"] for p in groups[root])
        pid = slugify(display)
        if pid in taken:  # distinct names whose slugs coincide (e.g. non-Latin scripts)
            n = 2
            while f"{pid}-{n}" in taken:
                n += 1
            pid = f"{pid}-{n}"
        taken.add(pid)
        hons = sorted(h for h in (p.get("honorific") for p in rows_in) if h)
        honorific = None
        if hons:
            counts = {h: hons.count(h) for h in hons}
            honorific = sorted(counts, key=lambda h: (-counts[h], h))[0]
        aliases = sorted({p["name"] for p in rows_in} - {display})
        docs = sorted({str(p.get("doc_id")) for p in rows_in})
        rows.append({"person_id": pid, "name": display, "honorific": honorific,
                     "aliases": aliases, "n_documents": len(docs)})
        for p in rows_in:
            ids[(str(p.get("doc_id")), p.get("key"))] = pid
    rows.sort(key=lambda r: r["person_id"])
    return PeopleResolution(people=rows, _ids=ids)
