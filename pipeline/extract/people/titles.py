"""Pure helpers for titles and organizations written beside a name: role heads, acronyms,
the split of ``Director of X`` into title and organization, offices and institutions. No model
needed."""
from __future__ import annotations

import re
from typing import Callable, Sequence

from pipeline.extract.people.names import is_cap_word, name_key_tokens
from pipeline.extract.people.vocabulary import CONNECTORS, fold, vocab


# --------------------------------------------------------------------------- pure helpers: titles
def words_of(s: str) -> list[str]:
    return re.findall(r"[\w’'\-\.&]+", s)


def has_role_head(phrase: str) -> bool:
    """Whether a phrase names a role (contains a title head word such as Director or Coordinator).

    Hand-written rather than a PhraseMatcher: the phrase is a short string (a title), not a
    Doc, and tokenizing every candidate title to match it costs more than this look-up."""
    v = vocab()
    f = " " + " ".join(fold(w).strip(".,") for w in words_of(phrase)) + " "
    if any(f" {h} " in f for h in v.role_heads):
        return True
    return any(fold(w).strip(".,") in v.role_head_words for w in words_of(phrase))


def _head_before(text: str) -> str | None:
    """The role head (casefolded) that ends ``text``, if any: 'Special Rapporteur' -> 'special rapporteur'."""
    f = " ".join(fold(w).strip(".,") for w in words_of(text))
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
    words = [w.strip(".,()") for w in words_of(phrase)]
    words = [w for w in words if w]
    if words and fold(words[0]) == "the":
        words = words[1:]
    if not words:
        return False
    first = fold(words[0])
    folded = " ".join(fold(w) for w in words)
    if first in v.role_head_words or any(folded.startswith(h + " ") or folded == h
                                         for h in v.role_heads):
        return False
    if is_acronym(words[0]):
        return True
    seg: list[str] = []
    for w in words:
        if fold(w) in CONNECTORS and fold(w) not in ("and", "&"):
            break
        seg.append(fold(re.sub(r"[’']s$", "", w)))
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
        if out and fold(bare) == "at":
            break
        if is_cap_word(bare) or is_acronym(bare) or (out and fold(bare) in CONNECTORS):
            out.append(bare)
            if t.endswith((",", ";")):
                break
        else:
            break
    while out and fold(out[-1]) in CONNECTORS:
        out.pop()
    return " ".join(out)


def _first_segment(phrase: str) -> list[str]:
    """Words of a name before its first connector (``Office`` of ``Office on Drugs ...``)."""
    seg: list[str] = []
    for w in words_of(phrase):
        if seg and fold(w) in CONNECTORS and fold(w) not in ("and", "&"):
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
    if not is_cap_word(words[1]) or org_like(rest):
        return None
    if any(fold(w).strip(".,") in vocab().org_head_words for w in _first_segment(rest)):
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
    if len(seg) < 2 or not all(is_cap_word(w) or is_acronym(w) for w in seg):
        return False
    last = fold(seg[-1])
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
        if not has_role_head(title) or fold(words[i]) in CONNECTORS or fold(words[i - 1]) in CONNECTORS:
            continue
        last = fold(words[i - 1]).strip(".,")
        # a lowercase head word after an organization is the role's (``Interpol police
        # inspector``), after a place it is the organization's (``Tulsa police chief``)
        own = words[i - 1][:1].islower() and is_org is not None and is_org(" ".join(words[:i - 1]))
        if is_acronym(words[i - 1]) or (last in v.org_head_words and org_like(org) and not own):
            return org, title
    for i in range(len(words)):
        f = fold(words[i]).strip(".,")
        # the role starts at its first modifier, head or lowercase word other than a name's
        # connector (``White House political director``, not ``University of X professor``)
        lower = words[i][:1].islower() and f not in CONNECTORS
        if f in v.role_modifiers or f in v.role_head_words or lower:
            if i == 0:
                break
            org, title = " ".join(words[:i]), " ".join(words[i:])
            if lower:  # its head comes before any connector (not ``leaders and the ... of X``)
                k = next((j for j in range(i, len(words)) if fold(words[j]) in CONNECTORS), len(words))
                if not has_role_head(" ".join(words[i:k])):
                    break
            if has_role_head(title) and is_org is not None and is_org(org):
                return org, title
            break
    return None, phrase


def title_head(title: str) -> str | None:
    """The role head of a title (casefolded): the longest role head ending its first segment,
    before any ``of/for/on ...`` complement. ``UN High Commissioner for Refugees`` -> ``high
    commissioner``; ``Thailand's ACWC Representative for Women's Rights`` -> ``representative``."""
    seg: list[str] = []
    for w in words_of(title):
        if seg and fold(w) in CONNECTORS - {"&"}:
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
    for w in words_of(title + " " + (context or "")):
        words.add(fold(w).strip(".,"))
        if acronyms and w.strip(".,") in acronyms:
            words.update(fold(x) for x in words_of(acronyms[w.strip(".,")]))
    inst_words = inst.split()
    for name in org_names:
        nw = [fold(w).strip(".,") for w in words_of(_strip_the(strip_acronym(name)[0]))]
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


def mandate_body(title: str | None, org_names: Sequence[str], acronyms: Sequence[str]) -> str | None:
    """The body that alone gives a title (titles.json 'mandate_bodies': a Special Rapporteur
    is a mandate holder of the UN), when the release names that body or its acronym."""
    head = title_head(title) if title else None
    body = vocab().mandate_bodies.get(head) if head else None
    if body is None or not (body[0] in org_names or body[1] in acronyms):
        return None
    return body[0]


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
                if w and (is_cap_word(w) or fold(w) in CONNECTORS):
                    run.append(w)
                break
            if is_cap_word(w) or (run and fold(w) in CONNECTORS):
                run.append(w)
            else:
                break
        run.reverse()
        while run and (fold(run[0]) in CONNECTORS or not is_cap_word(run[0])):
            run.pop(0)
        if len(run) >= 2 and run[0][0].upper() == acr[0].upper() and acr not in out:
            out[acr] = " ".join(run).rstrip(",")
    return out
