"""Tree-sitter queries, one `.scm` file per syntactic fact, compiled once."""
from __future__ import annotations

import functools
from importlib.resources import files

from tree_sitter import Query

from analyzers.parsing import GO_LANGUAGE


@functools.cache
def load(name: str) -> Query:
    """The compiled query `analyzers/queries/<name>.scm`."""
    source = files("analyzers.queries").joinpath(f"{name}.scm").read_text(encoding="utf-8")
    return Query(GO_LANGUAGE, source)


def names() -> list[str]:
    return sorted(p.name[: -len(".scm")] for p in files("analyzers.queries").iterdir() if p.name.endswith(".scm"))
