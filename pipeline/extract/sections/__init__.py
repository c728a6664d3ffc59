"""Lines, paragraphs, headings and boilerplate: the release's layout."""
