"""`textDocument/hover`: the rule's documentation over a finding."""
from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from analyzers.registry import rule_by_code
from lsp_server import convert

if TYPE_CHECKING:
    from lsp_server.server import NilmapLanguageServer


async def hover(ls: NilmapLanguageServer, params: types.HoverParams) -> types.Hover | None:
    result = await ls.scheduler.current(params.text_document.uri)
    if result is None:
        return None
    lines = result.snapshot.lines
    offset, _ = convert.position_to_offset(lines, params.position, ls.encoding)
    texts: list[str] = []
    span = None
    for diagnostic in result.result.diagnostics:
        rule = rule_by_code(diagnostic.rule)
        if rule is None or not diagnostic.span.start <= offset <= diagnostic.span.end:
            continue
        if rule.markdown() not in texts:
            texts.append(rule.markdown())
        span = span or diagnostic.span
    if not texts or span is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n---\n\n".join(texts)),
        range=convert.offsets_to_range(lines, span.start, span.end, ls.encoding),
    )
