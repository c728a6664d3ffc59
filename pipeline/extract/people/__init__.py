"""People in press releases: person mentions, their honorific, title and organization, the
in-release coreference of ``Ms. X`` / ``X`` / ``she`` / ``the expert``, and the corpus resolve.

Modules, in dependency order: ``vocabulary`` (rule data from ``pipeline/resources/``),
``names`` and ``titles`` (pure string rules, no model), ``docspans`` (per-Doc entity and span
indexes on ``doc.user_data``), ``mentions`` (names in a Doc and their clustering), ``roles``
(title and organization around a name), ``coref`` (pronouns and descriptions), ``build`` (the
people step the quote finder calls) and ``resolve`` (the corpus step over person rows).
"""
from pipeline.extract.people.build import build_people
from pipeline.extract.people.coref import PeopleIndex, names_organization
from pipeline.extract.people.names import (
    clean_name,
    genders_compatible,
    honorific_form,
    honorific_gender,
    is_subname,
    looks_like_name,
    name_key_tokens,
    slugify,
    split_honorific,
)
from pipeline.extract.people.resolve import PeopleResolution, resolve_people
from pipeline.extract.people.titles import (
    acronym_map,
    institution_of_title,
    is_acronym,
    names_a_body,
    office_of_title,
    org_like,
    represents_place,
    split_org_title,
    split_title_org,
    strip_acronym,
    title_head,
    work_unit_owner,
)

__all__ = [
    "PeopleIndex", "PeopleResolution", "acronym_map", "build_people", "clean_name", "genders_compatible",
    "honorific_form", "honorific_gender", "institution_of_title", "is_acronym", "is_subname",
    "looks_like_name", "name_key_tokens", "names_a_body", "names_organization", "office_of_title",
    "org_like", "represents_place", "resolve_people", "slugify", "split_honorific", "split_org_title",
    "split_title_org", "strip_acronym", "title_head", "work_unit_owner",
]
