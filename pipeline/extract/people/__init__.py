"""People in press releases: person mentions, their honorific, title and organization, the
in-release coreference of ``Ms. X`` / ``X`` / ``she`` / ``the expert``, and the corpus resolve.

Modules, in dependency order: ``vocabulary`` (rule data from ``pipeline/resources/``),
``names`` and ``titles`` (pure string rules, no model), ``docspans`` (per-Doc entity and span
indexes on ``doc.user_data``), ``mentions`` (names in a Doc and their clustering), ``roles``
(title and organization around a name), ``coref`` (pronouns and descriptions), ``build`` (the
people step the quote finder calls) and ``resolve`` (the corpus step over person rows).


Names are exported lazily (PEP 562): the corpus stage imports ``resolve`` alone, and a run
that only rewrites tables (a prune, a re-resolve) then never imports spaCy for ``build``.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "build": ("build_people",),
    "coref": ("PeopleIndex", "names_organization"),
    "names": ("clean_name", "genders_compatible", "honorific_form", "honorific_gender",
              "is_subname", "looks_like_name", "name_key_tokens", "slugify", "split_honorific"),
    "resolve": ("PeopleResolution", "resolve_people"),
    "titles": ("acronym_map", "institution_of_title", "is_acronym", "names_a_body",
               "office_of_title", "org_like", "represents_place", "split_org_title",
               "split_title_org", "strip_acronym", "title_head", "work_unit_owner"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
