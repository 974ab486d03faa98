"""Text normalisation for matching: two sentences that a translator would call the same
normalise to the same key."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")
_EDGE_PUNCTUATION = " .,;:!?؟،؛…\"'“”‘’«»()[]-–—"


def normalise(text: str) -> str:
    """NFC, white space folded, case and surrounding punctuation set aside."""
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text).strip(_EDGE_PUNCTUATION)
    return text.casefold()
