"""Statistics: numbers read from words and digits, units, subjects and sources."""
