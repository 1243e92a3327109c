"""Pull diagnostics: `textDocument/diagnostic` for one document, `workspace/diagnostic`
for every indexed file (open documents in the place of their disk version).

A document's pull answers the findings of its current text; when the text changes again
while they are computed (keys coming faster than one analysis), it answers the last
findings there are rather than none, and a `workspace/diagnostic/refresh` follows the run
that catches up.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

if TYPE_CHECKING:
    from lsp_server.server import NilmapLanguageServer


async def document_diagnostic(ls: NilmapLanguageServer, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
    result = await ls.scheduler.latest(params.text_document.uri)
    if result is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    if params.previous_result_id == result.result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result.result_id)
    return types.RelatedFullDocumentDiagnosticReport(items=list(result.lsp), result_id=result.result_id)


async def workspace_diagnostics(ls: NilmapLanguageServer, params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
    previous = {p.uri: p.value for p in params.previous_result_ids or []}
    await ls.files.disk_settled()
    items: list[Any] = []
    for directory in await ls.files.directories():
        scope = ls.scope_for(directory)
        if scope.excluded(directory):
            continue  # excluded whole (by the settings of now, not of when it was listed)
        await ls.files.ensure_directory(directory)  # evicted ones are read again
        snapshots = tuple(d.snapshot() for d in ls.documents.in_directory(directory) if ls.is_go(d))
        reports = await ls.in_analysis(ls.state.workspace_reports, directory, snapshots, scope.excluded, scope.checker, ls.encoding)
        for _path, uri, version, generation, diagnostics in reports:
            result_id = f"{generation}.{ls.settings_epoch}"
            if previous.get(uri) == result_id:
                items.append(types.WorkspaceUnchangedDocumentDiagnosticReport(uri=uri, result_id=result_id, version=version))
            else:
                items.append(
                    types.WorkspaceFullDocumentDiagnosticReport(uri=uri, items=list(diagnostics), version=version, result_id=result_id)
                )
    return types.WorkspaceDiagnosticReport(items=items)
