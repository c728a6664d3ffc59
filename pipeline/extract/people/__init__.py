"""People: name mentions, titles and organizations, clustering and corpus resolution."""
