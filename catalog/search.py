"""Cleaning readers' search queries, and the typo fallback for databases without trigrams."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Word characters, plus the apostrophes and hyphens inside names and titles.
WORD = re.compile(r"[\w’'-]+")


def clean_query(raw: str | None) -> str:
    """What the reader typed, made safe to echo and to search: no control characters, bounded."""
    text = "".join(character for character in (raw or "") if character.isprintable() or character == " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search_terms(query: str) -> list[str]:
    terms = [word.strip("’'-") for word in WORD.findall(clean_query(query))]
    return [term for term in terms if term][:MAX_TERMS]


def closest_words(terms: list[str], documents: Iterable[str]) -> list[str]:
    """Each term, or the catalog's closest word to it when the term itself appears nowhere."""
    vocabulary: set[str] = set()
    for document in documents:
        vocabulary.update(word.lower() for word in WORD.findall(document))
    corrected = []
    for term in terms:
        if term.lower() in vocabulary:
            corrected.append(term)
            continue
        close = difflib.get_close_matches(term.lower(), vocabulary, n=1, cutoff=0.8)
        corrected.append(close[0] if close else term)
    return corrected
