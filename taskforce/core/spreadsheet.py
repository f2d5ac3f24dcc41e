"""Cells that a spreadsheet would run as formulas (CSV or formula injection): recognised in files that come in,
and made inert in every file that goes out."""

from __future__ import annotations

import math
import re

# What Excel, LibreOffice and Google Sheets treat as the start of a formula or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?$")


def _is_plain_number(text: str) -> bool:
    stripped = text.strip()
    if not stripped or not _PLAIN_NUMBER.match(stripped) or not any(ch.isdigit() for ch in stripped):
        return False
    return math.isfinite(float(stripped.replace(",", "")))


def looks_like_formula(text: str) -> bool:
    """True for a cell a spreadsheet would run: one starting with =, @, a tab or a carriage return, or with + or
    - unless the whole cell is a plain number (-3 is a number; +1+1 and -1+cmd|' /C calc'!A0 are formulas)."""
    if not text:
        return False
    if text[0] in ("\t", "\r"):
        return True
    stripped = text.lstrip()
    if stripped.startswith(("=", "@")):
        return True
    return stripped.startswith(("+", "-")) and not _is_plain_number(stripped)


def neutralise(value: object) -> object:
    """A cell made safe to open in a spreadsheet: text that would run gets a leading apostrophe, which every
    spreadsheet shows as text; numbers and other values are left as they are."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(name: str) -> str:
    """A download's file name from anything (an uploaded file's name included): letters, digits, dot, dash and
    underscore only, never starting with a formula character or a dot."""
    cleaned = _UNSAFE_IN_FILE_NAME.sub("_", name).strip("._-") or "download"
    return cleaned
