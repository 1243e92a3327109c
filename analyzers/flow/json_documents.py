"""What `json.Unmarshal` does with a document the code spells out.

encoding/json checks the whole document before it stores anything: an invalid one leaves the
target as it was (Unmarshal returns a *SyntaxError). A valid one is stored thus: `null` sets a
map to nil and leaves a struct as it is; an object stores each of its keys into a map (making
the map first when it is nil) and, into a struct, sets the fields its keys name (a field's
`json` tag name, else its name, matched exactly, else regardless of case), leaving every other
field as it was; a value of another kind (`[1]`, `"x"`) is an UnmarshalTypeError for that
place, which is left as it was.

A document is known when the code passes a literal, or a parameter every call binds to one
(`PackageVars.bound_arguments`): tests and examples decode constant documents.
"""
from __future__ import annotations

import json
import re
from typing import Any

from analyzers.index import FieldDecl

# Keys kept as constant keys of a decoded map: those whose Go literal is `"key"` as written.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_.:/ -]*\Z")


class _Invalid(Exception):
    pass


def _reject_constant(name: str) -> Any:
    raise _Invalid(name)  # NaN, Infinity: Python reads them, JSON has none


def parse_document(document: str) -> tuple[bool, object]:
    """(whether `document` is valid JSON, its value). Go's decoder and Python's agree on what is
    valid but for the constants NaN and Infinity, which only Python reads."""
    try:
        return True, json.loads(document, parse_constant=_reject_constant)
    except (ValueError, _Invalid, RecursionError):
        return False, None


def plain_key(key: str) -> str | None:
    """The path step of a decoded key, as a constant key is spelled (`"a"`), or None when its Go
    literal could be spelled otherwise (escapes, other alphabets)."""
    return f'"{key}"' if _PLAIN_KEY.match(key) else None


def field_key(field: FieldDecl) -> str | None:
    """The key a struct field is decoded from: its `json` tag's name, else its name; None for a
    field the decoder leaves alone (unexported, or tagged `json:"-"`)."""
    if not field.name[:1].isupper():
        return None
    match = re.search(r'(?:^|\s)json:"([^"]*)"', field.tag)
    if match is None:
        return field.name
    name = match.group(1).split(",", 1)[0]
    if match.group(1) == "-":
        return None
    return name or field.name


def matched_fields(fields: tuple[FieldDecl, ...], keys: list[str]) -> dict[str, str] | None:
    """Field name -> the document key that sets it, for the fields the decoder sets from an
    object with `keys`; None when a key's match is not plain ASCII (the decoder's folding of
    other alphabets is left alone) or two keys name one field."""
    by_key = {key: f.name for f in fields if (key := field_key(f)) is not None}
    folded = {key.lower(): name for key, name in by_key.items()}
    found: dict[str, str] = {}
    for key in keys:
        name = by_key.get(key)
        if name is None:
            if not key.isascii():
                return None
            name = folded.get(key.lower())
        if name is not None and name in found:
            return None  # two keys decoded into one field, one after the other: left alone
        if name is not None:
            found[name] = key
    return found
