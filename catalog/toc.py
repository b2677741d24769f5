"""Turning a pasted table of contents into entries: label, title and level.

One entry per line, as publishers print them ("Introduction: Workers and the Soviet State",
"1. Struggling to Survive: …", "Appendix 1. Biographical Notes."). Entries run together on one
line with two or more spaces between them, as product pages often show them, are split too.
Indentation (a tab or two spaces per level) or dotted numbers ("2.1") make sub-entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LABEL = re.compile(
    r"""^(?P<label>
        (?:Part|Chapter|Appendix|Section|Book|Volume)\s+(?:[0-9]+|[IVXLCDM]+|[A-Z])[.:]?   # Appendix 1.
      | [0-9]+(?:\.[0-9]+)+\.?                                                          # 2.1 or 2.1.
      | [0-9]+[.)]                                                                      # 1.
      | [IVXLCDM]+\.                                                                    # IV.
      | [A-Z][\w’'-]*:                                                                  # Introduction:
    )\s+(?P<title>\S.*)$""",
    re.VERBOSE,
)
MAX_LEVEL = 6


@dataclass(frozen=True)
class ParsedEntry:
    position: int
    level: int
    label: str
    title: str


def _indent_level(line: str) -> int:
    indent = line[: len(line) - len(line.lstrip())].replace("\t", "  ")
    return 1 + len(indent) // 2


def _split_entry(text: str) -> tuple[str, str]:
    match = LABEL.match(text)
    if match:
        return match.group("label"), match.group("title").strip()
    return "", text


def toc_parse(text: str) -> list[ParsedEntry]:
    """Entries in order, numbered from 1. Blank lines are skipped."""
    entries: list[ParsedEntry] = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        indent_level = _indent_level(line)
        for part in re.split(r"\s{2,}|\t+", line.strip()):
            if not part.strip():
                continue
            label, title = _split_entry(part.strip())
            level = indent_level
            dotted = re.match(r"^[0-9]+((?:\.[0-9]+)+)\.?$", label)
            if dotted:
                level = max(level, 1 + dotted.group(1).count("."))
            entries.append(ParsedEntry(len(entries) + 1, min(level, MAX_LEVEL), label, title))
    return entries
