"""Conversion between the analysis model (byte offsets) and lsprotocol types.

The one place in the server where positions are converted; it does no arithmetic of its
own but calls `analyzers.text.LineIndex` with the negotiated position encoding. Pure
functions, called on the event loop.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from analyzers.model import Applicability, Diagnostic, Edit, Fix, Severity
from analyzers.registry import rule_by_code
from analyzers.text import Encoding, LineIndex

SOURCE = "nilmap"
FIX_ALL_KIND = "source.fixAll.nilmap"

_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


# -- URIs -----------------------------------------------------------------------------------
def uri_to_path(uri: str) -> str:
    """The file system path of a `file:` URI; any other URI stands for itself."""
    if urlparse(uri).scheme == "file":
        return to_fs_path(uri) or unquote(urlparse(uri).path)
    return uri


def path_to_uri(path: str) -> str:
    if "://" in path or path.startswith("untitled:"):
        return path
    return from_fs_path(path) or path


def encoding_of(kind: str | types.PositionEncodingKind | None) -> Encoding:
    value = getattr(kind, "value", kind)
    return value if value in ("utf-8", "utf-16", "utf-32") else "utf-16"  # type: ignore[return-value]


# -- positions ------------------------------------------------------------------------------
def line_index(source: bytes) -> LineIndex:
    """The line index the server uses for its documents: a lone `\r` ends a line, as the
    LSP specification says (Go itself counts `\n` only)."""
    return LineIndex(source, lone_cr_breaks=True)


def position(lines: LineIndex, offset: int, encoding: Encoding) -> types.Position:
    line, column = lines.position(offset, encoding)
    return types.Position(line=line, character=column)


def offsets_to_range(lines: LineIndex, start: int, end: int, encoding: Encoding) -> types.Range:
    return types.Range(start=position(lines, start, encoding), end=position(lines, end, encoding))


def position_to_offset(lines: LineIndex, pos: types.Position, encoding: Encoding) -> tuple[int, bool]:
    """The byte offset of a client position, and whether it had to be clamped to get one."""
    offset = lines.offset(pos.line, pos.character, encoding)
    # Past the last line, or past the end of its line: LineIndex clamps, we only notice.
    clamped = pos.line >= lines.line_count or lines.position(offset, encoding) != (pos.line, pos.character)
    return offset, clamped


def range_to_offsets(lines: LineIndex, rng: types.Range, encoding: Encoding) -> tuple[int, int, bool]:
    start, start_clamped = position_to_offset(lines, rng.start, encoding)
    end, end_clamped = position_to_offset(lines, rng.end, encoding)
    if end < start:  # a reversed range: the client most likely swapped its ends
        return end, start, True
    return start, end, start_clamped or end_clamped


def format_range(rng: types.Range) -> str:
    return f"{rng.start.line}:{rng.start.character}-{rng.end.line}:{rng.end.character}"


# -- diagnostics ----------------------------------------------------------------------------
def to_lsp_diagnostic(
    diagnostic: Diagnostic,
    lines: LineIndex,
    encoding: Encoding,
    lines_of: Callable[[str], LineIndex | None],
) -> types.Diagnostic:
    """An LSP diagnostic with code, documentation link and related information."""
    rule = rule_by_code(diagnostic.rule)
    related = []
    for item in diagnostic.related:
        other = lines if item.path == diagnostic.path else lines_of(item.path)
        if other is None:
            continue
        related.append(
            types.DiagnosticRelatedInformation(
                location=types.Location(
                    uri=path_to_uri(item.path),
                    range=offsets_to_range(other, item.span.start, item.span.end, encoding),
                ),
                message=item.message,
            )
        )
    return types.Diagnostic(
        range=offsets_to_range(lines, diagnostic.span.start, diagnostic.span.end, encoding),
        message=diagnostic.message,
        severity=_SEVERITIES.get(diagnostic.severity, types.DiagnosticSeverity.Warning),
        code=diagnostic.rule,
        code_description=types.CodeDescription(href=rule.url) if rule is not None else None,
        source=SOURCE,
        related_information=related or None,
    )


def ranges_overlap(a: types.Range, b: types.Range) -> bool:
    """Whether two ranges touch (an empty range at either end of the other counts)."""
    a_start, a_end = (a.start.line, a.start.character), (a.end.line, a.end.character)
    b_start, b_end = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return a_start <= b_end and b_start <= a_end


# -- edits and code actions ----------------------------------------------------------------
def text_edits(edits: Sequence[Edit], lines: LineIndex, encoding: Encoding) -> list[types.TextEdit]:
    return [
        types.TextEdit(range=offsets_to_range(lines, e.start, e.end, encoding), new_text=e.new_text)
        for e in sorted(edits, key=lambda e: (e.start, e.end))
    ]


def workspace_edit(
    uri: str, version: int | None, edits: list[types.TextEdit], document_changes: bool
) -> types.WorkspaceEdit:
    """A workspace edit of one document, versioned when the client supports it."""
    return files_edit([(uri, version, edits)], document_changes)


def files_edit(files: list[tuple[str, int | None, list[types.TextEdit]]], document_changes: bool) -> types.WorkspaceEdit:
    """A workspace edit of several documents (uri, version or None when not open, edits)."""
    if document_changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    edits=edits,
                )
                for uri, version, edits in files
            ]
        )
    return types.WorkspaceEdit(changes={uri: edits for uri, version, edits in files})


# Where an edit in another file lands: its URI, its version if it is open, its lines.
EditTarget = tuple[str, "int | None", LineIndex]


def quick_fix(
    fix: Fix,
    diagnostic: Diagnostic,
    lsp_diagnostic: types.Diagnostic,
    uri: str,
    version: int,
    lines: LineIndex,
    encoding: Encoding,
    document_changes: bool,
    target_of: Callable[[str], EditTarget | None] = lambda path: None,
) -> types.CodeAction | None:
    """One fix of one finding as a `quickfix`; preferred only if it is the safe preferred fix.

    Edits in other files of the package go to those documents (`target_of` says where they
    are); None when one of them cannot be placed, since half a fix is no fix.
    """
    preferred = fix.applicability is Applicability.SAFE and fix is diagnostic.preferred_fix
    files: list[tuple[str, int | None, list[types.TextEdit]]] = []
    for path, edits in fix.edits_by_file(diagnostic.path).items():
        target = (uri, version, lines) if path == diagnostic.path else target_of(path)
        if target is None:
            return None
        files.append((target[0], target[1], text_edits(edits, target[2], encoding)))
    return types.CodeAction(
        title=fix.title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[lsp_diagnostic],
        is_preferred=True if preferred else None,
        edit=files_edit(files, document_changes),
    )


def minimal_edit(old: bytes, new: bytes) -> Edit | None:
    """One edit turning `old` into `new`: the differing middle, cut on UTF-8 boundaries."""
    if old == new:
        return None
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    # Never cut inside a character: back off to the start of one on both sides.
    while prefix > 0 and (_continues(old, prefix) or _continues(new, prefix)):
        prefix -= 1
    while suffix > 0 and _continues(old, len(old) - suffix):
        suffix -= 1
    return Edit(prefix, len(old) - suffix, new[prefix : len(new) - suffix].decode("utf-8", errors="replace"))


def _continues(data: bytes, index: int) -> bool:
    """Whether the byte at `index` continues a UTF-8 character begun before it."""
    return index < len(data) and data[index] & 0xC0 == 0x80
