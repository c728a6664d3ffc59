"""Doc extension attributes shared by every project component.

Registered once, at import; values are plain JSON-like data so that docs survive
``Doc.to_bytes()`` and ``nlp.pipe(n_process=N)``.
"""
from spacy.tokens import Doc


def register(name: str, default=None) -> None:
    """Register ``Doc._.<name>`` unless another module already did."""
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=default)


# Set by the runner before the pipeline runs.
register("doc_id")
register("reference_date")  # ISO "YYYY-MM-DD" string or None
register("date_convention")  # "timeml" for a TimeML document (its dates follow TIMEX3), or None

_TEXT_KEY = ("pipeline", "text")


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc.

    spaCy joins every token again on each ``Doc.text`` access, so reading it in a loop over
    tokens is quadratic in the release length. A Doc's text never changes, so it is cached
    in ``user_data``.
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text
