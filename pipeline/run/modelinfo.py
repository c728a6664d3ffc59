"""The label of a spaCy pipeline (``en_core_web_sm-3.8.0``) without importing spaCy.

A run with nothing to parse must not pay spaCy's import (about a second): the label, part
of the row fingerprint, is read from the installed package's ``meta.json``.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path


def label(meta: dict) -> str:
    """``lang_name-version`` of a pipeline's meta, for Parquet metadata and fingerprints."""
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"


def model_label_of(name: str) -> str:
    """The label of an installed pipeline package or a model folder, from its meta.json
    (a run with nothing to parse never loads the model); anything else is loaded by spaCy,
    which raises ``ModelNotFound`` when it is not installed."""
    try:
        if Path(name).is_dir():
            folder = Path(name)
        else:
            spec = importlib.util.find_spec(name)
            folder = Path(spec.origin).parent if spec and spec.origin else None
        if folder is not None and (folder / "meta.json").is_file():
            return label(json.loads((folder / "meta.json").read_text(encoding="utf-8")))
    except (ImportError, ValueError, OSError):
        pass
    from pipeline.run.nlp import load_model, model_label

    return model_label(load_model(name))
