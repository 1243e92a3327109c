"""The analysis core never imports the language server or its protocol libraries."""
from __future__ import annotations

import ast
from pathlib import Path

import analyzers

FORBIDDEN = ("pygls", "lsprotocol", "lsp_server")


def test_analyzers_import_nothing_of_the_lsp() -> None:
    root = Path(analyzers.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.relative_to(root.parent)}:{node.lineno} imports {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
