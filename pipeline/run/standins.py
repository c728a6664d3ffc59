"""Faster stand-ins for the model's own components, put in their place by ``build_nlp``.

Each stand-in's factory takes the name of the component it replaces (``replaces``), reads
that component's data, and is added just before it; the original is then removed, so the
pipeline order is the model's.
"""
from __future__ import annotations

from typing import Any

from spacy.language import Language


def component_of(nlp: Language, name: str, kind: type) -> Any | None:
    """The model's component ``name`` if it has one and it is a ``kind``, else None: a model
    without it, or with another kind there, keeps its own."""
    component = nlp.get_pipe(name) if name in nlp.pipe_names else None
    return component if isinstance(component, kind) else None


def replaced(nlp: Language, name: str, kind: type) -> Any:
    """The model's component ``name``, which must be a ``kind``."""
    found = nlp.get_pipe(name)
    if not isinstance(found, kind):
        raise ValueError(f"{name!r} is a {type(found).__name__}, not a {kind.__name__}")
    return found


def stand_in(nlp: Language, name: str, factory: str) -> None:
    """Put the stand-in ``factory`` in the place of the component ``name``."""
    nlp.add_pipe(factory, before=name, config={"replaces": name})
    nlp.remove_pipe(name)
