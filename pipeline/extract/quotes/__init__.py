"""Quotes in press releases: direct, partial and indirect speech, with their speakers.

Modules: ``marks`` (pairing quotation marks; pure), ``context`` (one Doc as the passes see
it), ``speakers`` (who a subject or the words around a quote refer to), ``attribution`` (the
verb and speaker of a quote), ``direct`` (direct and partial quotes), ``indirect`` (reported
speech) and ``component`` (the ``release_quotes`` factory). People come from
``pipeline.extract.people``, the speech-verb lexicon from ``pipeline.resources.speech``.
"""
