"""Diagnostics end to end: typing a bug in, exact ranges on non-ASCII lines, cross-file
re-publishing, pull diagnostics and hover."""
from __future__ import annotations

from lsprotocol import types
from support import Session, byte_range, range_text

from analyzers.checker import check_package
from analyzers.index import PackageIndex
from analyzers.source import SourceFile

CLEAN = """package main

import "fmt"

// 计数器：统计每个表情出现的次数 😀
func main() {
	var counts map[string]int // 未初始化的映射 🗺️
	label := "😀🎉👩‍👩‍👧" // 表情 🎉
	fmt.Println(counts, label)
}
"""


def expected_ranges(text: str, encoding: str) -> list[types.Range]:
    """The oracle: the analysis core's byte spans, converted by the test's own code."""
    file = SourceFile("/x/main.go", text.encode("utf-8"))
    report = check_package(PackageIndex([file]), ["/x/main.go"])
    return [byte_range(text, d.span.start, d.span.end, encoding) for d in report.diagnostics if d.rule == "NM001"]


async def test_typing_a_bug_in_reports_it_at_the_exact_range(session: Session) -> None:
    uri = session.open("main.go", CLEAN)
    assert await session.diagnostics(uri) == []
    # Type `; counts[label] = 1` after the emoji string, in several didChange edits.
    session.insert(uri, '"😀🎉👩‍👩‍👧"', ";")
    session.insert(uri, '"😀🎉👩‍👩‍👧";', " counts")
    session.insert(uri, '"😀🎉👩‍👩‍👧"; counts', "[label]")
    session.insert(uri, '"😀🎉👩‍👩‍👧"; counts[label]', " = 1")
    diagnostics = await session.diagnostics(uri)
    text = session.texts[uri]
    nm001 = [d for d in diagnostics if d.code == "NM001"]
    assert len(nm001) == 1, diagnostics
    diagnostic = nm001[0]
    assert [diagnostic.range] == expected_ranges(text, session.encoding)
    assert range_text(text, diagnostic.range, session.encoding).startswith("counts")
    assert diagnostic.range.start.line == 7
    assert diagnostic.source == "nilmap"
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    assert diagnostic.code_description is not None and "nm001" in diagnostic.code_description.href


async def test_exact_range_on_crlf_lines_with_chinese_comments(session: Session) -> None:
    text = (
        "package main\r\n\r\n"
        "func main() {\r\n"
        "\t// 写入未初始化的映射会崩溃 💥\r\n"
        "\tvar 映射 map[string]int\r\n"
        '\t_ = "🎉"; 映射["键🔑"] = 1 // 崩溃 😱\r\n'
        "}\r\n"
    )
    uri = session.open("main.go", text)
    diagnostics = [d for d in await session.diagnostics(uri) if d.code == "NM001"]
    assert [d.range for d in diagnostics] == expected_ranges(text, session.encoding)
    assert len(diagnostics) == 1
    assert range_text(text, diagnostics[0].range, session.encoding).startswith("映射")


async def test_findings_survive_a_syntax_error_elsewhere(session: Session) -> None:
    text = CLEAN.replace("fmt.Println(counts, label)", 'counts[label] = 1')
    uri = session.open("main.go", text + "\nfunc other() {\n")
    session.insert(uri, "func other() {\n", "\tif x := ; {\n")  # mid-typing garbage
    diagnostics = await session.diagnostics(uri)
    assert [d.code for d in diagnostics if d.code == "NM001"] == ["NM001"]


async def test_editing_a_declaring_file_republishes_the_other_open_file(session: Session) -> None:
    declares = session.open("registry.go", "package main\n\nvar registry map[string]int\n")
    writes = session.open(
        "register.go",
        'package main\n\nfunc register(name string) {\n\tregistry[name] = 1\n}\n\nfunc main() { register("x") }\n',
    )
    assert [d.code for d in await session.diagnostics(writes)] == ["NM001"]
    await session.diagnostics(declares)
    # Make the map in the declaring file: the writer's finding must go away without it
    # being edited.
    session.insert(declares, "var registry ", "= ")
    session.insert(declares, "var registry = map[string]int", "{}")
    assert await session.diagnostics_until(writes, lambda ds: ds == []) == []


async def test_pull_diagnostics_report_and_unchanged(session: Session) -> None:
    uri = session.open("main.go", CLEAN.replace("fmt.Println(counts, label)", "counts[label]++"))
    report = await session.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert report.kind == "full"
    assert [d.code for d in report.items] == ["NM001"]
    again = await session.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id)
    )
    assert again.kind == "unchanged"
    session.insert(uri, "var counts ", "= ")
    session.insert(uri, "var counts = map[string]int", "{}")
    third = await session.client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id)
    )
    assert third.kind == "full" and list(third.items) == []


async def test_hover_on_a_finding_shows_the_rule_documentation(session: Session) -> None:
    uri = session.open("main.go", CLEAN.replace("fmt.Println(counts, label)", "counts[label] = 2"))
    [diagnostic] = await session.diagnostics(uri)
    hover = await session.client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=diagnostic.range.start)
    )
    assert hover is not None and hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("# NM001 nil-map-write")
    assert "## What it does" in hover.contents.value
    nothing = await session.client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=0))
    )
    assert nothing is None
