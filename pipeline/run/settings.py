"""Component settings a user changes without editing the package.

A settings file uses spaCy's config syntax, one section per component factory::

    [components.release_stats]
    include_majority = true

``--set release_stats.include_majority=true`` on the command line overrides the file. Values
are parsed as spaCy parses config values (JSON-like: ``true``, ``3``, ``"text"``, ``[1, 2]``).
Settings shape rows, so they are part of the row cache's fingerprint.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable, Mapping


Settings = dict[str, dict[str, Any]]
DEFAULT_BUDGET_SECONDS = 60.0  # per release, for the project's extractors (run/budget.py)


class SettingsError(ValueError):
    """A settings file or ``--set`` option that cannot be used."""


def _parse_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw  # a bare word is a string


def load_settings(path: Path | None = None, overrides: Iterable[str] = ()) -> Settings:
    """Component settings from a config file and ``component.key=value`` overrides."""
    settings: Settings = {}
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise SettingsError(f"settings file cannot be read: {path} ({exc.strerror})") from None
        from thinc.api import Config  # only for a settings file: thinc's import is slow

        if "[components]" not in text:  # thinc wants the parent section declared
            text = "[components]\n" + text
        try:
            cfg = Config().from_str(text, interpolate=False)
        except Exception as exc:
            raise SettingsError(f"{path}: not a valid config file: {exc}") from None
        unknown = sorted(set(cfg) - {"components"})
        if unknown:
            raise SettingsError(f"{path}: unknown section(s) {unknown}; use [components.<name>]")
        for name, values in dict(cfg.get("components", {})).items():
            settings[name] = dict(values)
    for item in overrides:
        key, sep, raw = item.partition("=")
        component, dot, field = key.strip().partition(".")
        if not sep or not dot or not field:
            raise SettingsError(f"--set {item!r}: expected component.setting=value "
                                f"(e.g. release_stats.include_majority=true)")
        settings.setdefault(component, {})[field] = _parse_value(raw.strip())
    check_files(settings)
    return settings


def check_settings(settings: Mapping[str, Mapping[str, Any]], defaults: Mapping[str, Mapping[str, Any]]) -> None:
    """Reject components and settings the pipeline does not have, naming what it has."""
    for component, values in settings.items():
        if component not in defaults:
            raise SettingsError(f"unknown component {component!r} (components: "
                                f"{', '.join(sorted(defaults))})")
        known = set(defaults[component])
        for field in values:
            if field not in known:
                raise SettingsError(f"{component} has no setting {field!r} (settings: "
                                    f"{', '.join(sorted(known)) or 'none'})")


# Settings that name a file: it must exist, and its content is part of the fingerprint.
FILE_SETTINGS = {("release_orgs", "extra_gazetteer")}


def check_files(settings: Mapping[str, Mapping[str, Any]]) -> None:
    """Every file a setting names exists and can be read."""
    for component, field in FILE_SETTINGS:
        value = settings.get(component, {}).get(field)
        if value and not Path(value).is_file():
            raise SettingsError(f"{component}.{field}: file not found: {value}")


def settings_key(settings: Mapping[str, Mapping[str, Any]] | None) -> str:
    """A canonical text of the settings, for cache keys and fingerprints; a file a setting
    names counts by its content, so editing it re-parses the releases."""
    settings = settings or {}
    digests = {}
    for component, field in sorted(FILE_SETTINGS):
        value = settings.get(component, {}).get(field)
        if value and Path(value).is_file():
            digests[f"{component}.{field}"] = hashlib.sha256(Path(value).read_bytes()).hexdigest()
    return json.dumps([settings, digests], sort_keys=True, default=str)
