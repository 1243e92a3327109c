"""`textDocument/codeAction`: each finding's fixes as quick fixes, and
`source.fixAll.nilmap`, which applies every safe fix and re-checks until nothing more can
be fixed (the loop `nilmap check --fix` runs, `analyzers.fixes.stable`), as one edit.

Actions are computed on the findings of the document's current text and dropped if the
text changes meanwhile: an edit made for an older text would land in the wrong place.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from lsp_server import convert

if TYPE_CHECKING:
    from lsp_server.analysis import DocumentResult
    from lsp_server.server import NilmapLanguageServer

FIX_ALL_TITLE = "Fix all nilmap findings that have a safe fix"


async def code_actions(ls: NilmapLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    result = await ls.scheduler.current(params.text_document.uri)
    if result is None:
        return []
    only = params.context.only
    snapshot, lines = result.snapshot, result.snapshot.lines
    document_changes = bool(ls.capability("workspace.workspace_edit.document_changes", False))
    actions: list[types.CodeAction] = []
    if _wanted(types.CodeActionKind.QuickFix, only):
        target_of = await _edit_targets(ls, result, params.range)
        for diagnostic, lsp_diagnostic in zip(result.result.diagnostics, result.lsp, strict=True):
            if not convert.ranges_overlap(lsp_diagnostic.range, params.range):
                continue
            linked = _client_diagnostic(lsp_diagnostic, params.context.diagnostics)
            for fix in diagnostic.fixes:
                action = convert.quick_fix(
                    fix, diagnostic, linked, snapshot.uri, snapshot.version, lines, ls.encoding, document_changes, target_of
                )
                if action is not None:
                    actions.append(action)
    document = ls.documents.get(snapshot.uri)
    if document is not None and _wanted(convert.FIX_ALL_KIND, only) and any(d.preferred_fix for d in result.result.diagnostics):
        key = ls.directory_key(document)
        snapshots = tuple(d.snapshot() for d in ls.documents_of(key) if ls.is_go(d))
        fixed = await ls.in_analysis(ls.state.fix_all, result, snapshots, ls.scope_for(key).checker)
        edit = convert.minimal_edit(snapshot.source, fixed)
        if edit is not None:
            actions.append(
                types.CodeAction(
                    title=FIX_ALL_TITLE,
                    kind=convert.FIX_ALL_KIND,
                    edit=convert.workspace_edit(
                        snapshot.uri, snapshot.version, convert.text_edits([edit], lines, ls.encoding), document_changes
                    ),
                )
            )
    document = ls.documents.get(snapshot.uri)
    if document is None or document.revision != snapshot.revision:
        return []  # the text changed while we computed: these edits would be stale
    return actions


async def _edit_targets(ls: NilmapLanguageServer, result: DocumentResult, wanted: types.Range) -> Callable[[str], convert.EditTarget | None]:
    """Where the edits a fix makes in other files of the package go: the text the analysis
    saw (an open buffer or the disk), versioned when the file is open."""
    snapshot = result.snapshot
    others = {
        path
        for diagnostic, lsp_diagnostic in zip(result.result.diagnostics, result.lsp, strict=True)
        if convert.ranges_overlap(lsp_diagnostic.range, wanted)
        for fix in diagnostic.fixes
        for path in fix.edits_by_file(diagnostic.path)
        if path != diagnostic.path
    }
    if not others:
        return lambda path: None
    document = ls.documents.get(snapshot.uri)
    key = ls.directory_key(document) if document is not None else snapshot.path
    snapshots = tuple(d.snapshot() for d in ls.documents_of(key) if ls.is_go(d))
    sources: dict[str, bytes] = await ls.in_analysis(ls.state.package_sources, snapshot.path, snapshots, others)

    def target_of(path: str) -> convert.EditTarget | None:
        source = sources.get(path)
        if source is None:
            return None
        open_document = next((d for d in ls.documents.in_directory(os.path.dirname(path)) if d.path == path), None)
        if open_document is not None:
            if open_document.source != source:
                return None  # edited since the analysis: offsets into the old text would be wrong
            return open_document.uri, open_document.version, convert.line_index(source)
        return convert.path_to_uri(path), None, convert.line_index(source)

    return target_of


def _wanted(kind: str, only: Any) -> bool:
    """Whether an action of `kind` was asked for (`only` lists kinds or their prefixes)."""
    if not only:
        return True
    return any(kind == k or kind.startswith(f"{k}.") for k in only)


def _client_diagnostic(ours: types.Diagnostic, theirs: Any) -> types.Diagnostic:
    """The client's copy of our diagnostic, if it sent one, so the action links to it."""
    for diagnostic in theirs or []:
        if diagnostic.range == ours.range and diagnostic.code == ours.code and diagnostic.source == ours.source:
            return diagnostic
    return ours
