"""Reading releases: decoding, headers (title, dateline, published date) and file readers."""
