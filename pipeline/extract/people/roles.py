"""Title and organization from the text around a person's name: appositives (``X, Director
of Y``), roles before the name, ``who heads ...``, ``on behalf of ...``."""
from __future__ import annotations

import re
from typing import Sequence

from pipeline.extract.extensions import doc_text
from pipeline.extract.people.docspans import (
    _mention_spans,
    _org_checker,
    _place_checker,
    _whole_org_checker,
    entities,
)
from pipeline.extract.people.mentions import (
    Mention,
    _is_name_token,
    _line_break_between,
)
from pipeline.extract.people.names import is_cap_word, looks_like_name
from pipeline.extract.people.titles import (
    _cap_run,
    _strip_the,
    has_role_head,
    is_acronym,
    org_like,
    represents_place,
    split_org_title,
    split_title_org,
    strip_acronym,
)
from pipeline.extract.people.vocabulary import CONNECTORS, fold, vocab

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
    while i < n and fold(doc[i].text).rstrip(".") in vocab().post_nominals:
        i += 1
    if i >= n or doc[i].text != "," or _line_break_between(doc, m.tok_end - 1, i):
        return None
    s = i + 1
    while s < n and doc[s].is_space:
        s += 1
    if s >= n:
        return None
    first = doc[s]
    if first.is_lower and first.lower_ not in ("the", "a", "an") and not _role_starts(doc, s):
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
            if nxt is None or not (is_cap_word(nxt.text) or is_acronym(nxt.text)) or nxt.pos_ == "VERB":
                break
            if k in starts or doc[k].ent_type_ == "PERSON":
                break
            seg_start = True
            j = k
            continue
        if tok.lower_ in ("and", "&") and j + 1 < n and (j + 1 in starts or _starts_name_list(doc, j + 1)):
            break
        low = tok.is_lower or (not tok.is_alpha and not is_cap_word(t))
        if seg_start and tok.lower_ in ("the", "a", "an"):
            j += 1
            seg_start = False
            continue
        seg_start = False
        if low and tok.lower_ not in CONNECTORS and tok.lower_ not in ("’s", "'s", "-", "–"):
            if tok.pos_ in _STOP_LOWER_POS or tok.pos_ == "ADP" or tok.lower_ in ("who", "which", "that"):
                break
            if fold(t) not in vocab().role_head_words and tok.pos_ not in ("NOUN", "ADJ", "PROPN"):
                break
        if tok.ent_type_ == "DATE" or tok.like_num:
            break
        j += 1
        if not (low and tok.lower_ in CONNECTORS):
            last_ok = j
    if last_ok <= s:
        return None
    return s, last_ok


def _role_starts(doc, s: int) -> bool:
    """Whether a lowercase word opens a role: a head (``director``), or modifiers then a head
    within two words (``executive director``, ``deputy regional director``)."""
    v = vocab()
    for k in range(s, min(s + 3, len(doc))):
        word = fold(doc[k].text)
        if word in v.role_head_words:
            return True
        if word not in v.role_modifiers:
            return False
    return False


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


def _hyphen_part(doc, j: int) -> bool:
    """Whether token j is the second half of a hyphenated word (``general`` of
    ``Director-general``), whatever the parser made of it."""
    return j >= 2 and doc[j - 1].text in ("-", "‐", "–") and not doc[j - 1].whitespace_ \
        and not doc[j - 2].whitespace_


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
        f = fold(t)
        if taken and j in taken:
            break
        if t == ")" and not (j >= 2 and doc[j - 2].text == "(" and is_acronym(doc[j - 1].text)):
            break
        ok = (is_cap_word(t) or is_acronym(t) or t in ("(", ")", "-", "’s", "'s", "&")
              or tok.lower_ in CONNECTORS or f in v.role_head_words or f in v.person_nouns
              or (f in v.post_head_modifiers and j > 0 and fold(doc[j - 1].text) in v.role_head_words)
              or (tok.is_lower and tok.pos_ in ("NOUN", "ADJ", "VERB") and end - j < 10
                  and tok.dep_ in ("pobj", "pcomp", "compound", "amod", "nmod", "conj"))
              or _hyphen_part(doc, j))
        if tok.pos_ in ("VERB", "AUX") and tok.is_lower and tok.dep_ not in ("pobj", "pcomp", "compound", "amod"):
            ok = False
        if not ok:
            break
        j -= 1
    start = j + 1
    # begin at the first capitalised word, acronym or role word
    while start < end and not (is_cap_word(doc[start].text) or is_acronym(doc[start].text)
                               or fold(doc[start].text) in v.role_head_words):
        start += 1
    while start < end and doc[start].lower_ in CONNECTORS | {"but"}:  # ``And Florida's ...``
        start += 1
    while end > start and doc[end - 1].lower_ in CONNECTORS:
        end -= 1
    if end <= start or not has_role_head(doc[start:end].text):
        return None
    return start, end


def _expand_org(org: str | None, doc, org_mentions: Sequence[dict], acr: dict[str, str], at: int) -> str | None:
    """Organization text for output: long form preferred (from organization mentions, else a
    ``Long Form (ACR)`` definition in the release), without ``the`` and ``(ACR)``."""
    if not org:
        return None
    long, acronym = strip_acronym(_strip_the(org))
    long = re.sub(r"[’']s$", "", long).strip(" ,")
    for om in org_mentions:
        s, e = om.get("start_char", -1), om.get("end_char", -1)
        if s <= at + 600 and e >= at - 600 and om.get("text") and fold(_strip_the(om["text"])) == fold(long):
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
        title = re.sub(r"^(?:the|a|an|its|their|his|her|our)\s+", "", " ".join(title.split()),
                       flags=re.I).strip(" ,") or None
    return title, _expand_org(org, doc, org_mentions, acr, m.start_char)


def _office_mention(doc, span: tuple[int, int], org_mentions: Sequence[dict]) -> str | None:
    """The organization a title itself names: the longest organization mention that covers a
    role head word of the title tokens ``span`` (``UN High Commissioner for Refugees`` is a
    mention of UNHCR, so its holder speaks for UNHCR, not for the bare ``UN`` split off its
    front). A mention beside the head (``Director of UNODC``) does not count here."""
    s, e = span
    heads = [(t.idx, t.idx + len(t.text)) for t in doc[s:e] if fold(t.text) in vocab().role_head_words]
    if not heads:
        return None
    index = _mention_spans(doc, org_mentions)
    covering = {n for hs, he in heads for _, _, n in index.reaching(hs, he)}
    if not covering:
        return None
    # the longest; on a tie the first in the list, as a scan keeping the first maximum would
    spans = [(int(org_mentions[n].get("end_char", -1)) - int(org_mentions[n].get("start_char", -1)), -n)
             for n in covering]
    best = org_mentions[-max(spans)[1]]
    return best.get("name") or best.get("text")


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
    """``X of/from/at ORG``, ``X, representing ORG``, ``X, speaking on behalf of ORG``, and
    ``X for ORG`` when ORG is plainly an organization (``Jane Roe for UNHCR said``: a
    spokesperson at a briefing), not any capitalised words (``X for Peace``)."""
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
        spoke_for = re.match(r"^\s*for\s+(?:the\s+)?(.+)$", text, re.I)
        run = _cap_run(spoke_for.group(1)) if spoke_for else None
        return run if run and org_like(run) else None
    run = _cap_run(mm.group(1))
    return run if run and (org_like(run) or len(run.split()) >= 1 and is_cap_word(run)) else None


# ---- pronouns and definite descriptions
