"""tm: a translation-memory workflow for press releases in Arabic, English and French."""
