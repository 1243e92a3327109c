"""The project's `nilmap.toml` in the editor: the server applies the same file as the CLI
(`select`, `ignore`, `[severity]`, `exclude`), the editor's own settings win over it, a
change on disk applies at once, and a broken file is reported once while the server goes
on with the defaults."""
from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from support import Session, range_text, wait_for

BUG = 'package {pkg}\n\nfunc f() {{\n\tvar m map[string]int\n\tm["a"] = 1\n}}\n'


def assert_nm001(session: Session, uri: str, diagnostic: types.Diagnostic, severity: types.DiagnosticSeverity) -> None:
    """The finding is the write `m["a"] = 1` on line 5, at the severity expected."""
    assert diagnostic.code == "NM001"
    assert diagnostic.range.start == types.Position(line=4, character=1)
    assert range_text(session.texts[uri], diagnostic.range, session.encoding).startswith('m["a"]')
    assert diagnostic.severity == severity


def changed_on_disk(session: Session, path: Path, kind: types.FileChangeType = types.FileChangeType.Changed) -> None:
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=kind)])
    )


def configure(session: Session, settings: dict) -> None:
    session.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"nilmap": settings}))


@pytest.mark.workspace({"quiet/nilmap.toml": 'ignore = ["NM001"]\n'})
async def test_a_rule_ignored_in_nilmap_toml_is_not_reported_below_it(session: Session) -> None:
    quiet = session.open("quiet/main.go", BUG.format(pkg="quiet"))
    loud = session.open("loud/main.go", BUG.format(pkg="loud"))  # the same code, no file above it
    assert await session.diagnostics(quiet) == []
    [finding] = await session.diagnostics(loud)
    assert_nm001(session, loud, finding, types.DiagnosticSeverity.Error)


@pytest.mark.workspace({"nilmap.toml": '[severity]\nNM001 = "warning"\n'})
async def test_severity_from_nilmap_toml(session: Session) -> None:
    uri = session.open("pkg/deep/main.go", BUG.format(pkg="deep"))  # two levels below the file
    [finding] = await session.diagnostics(uri)
    assert_nm001(session, uri, finding, types.DiagnosticSeverity.Warning)


@pytest.mark.workspace({".nilmap.toml": 'ignore = ["NM001"]\n\n[severity]\nNM001 = "warning"\n'})
async def test_editor_settings_win_over_the_file(session: Session) -> None:
    uri = session.open("main.go", BUG.format(pkg="main"))
    assert await session.diagnostics(uri) == []
    configure(session, {"rules": {"NM001": {"enabled": True}}})  # takes it out of the file's ignore
    [finding] = await session.diagnostics_until(uri, lambda ds: len(ds) == 1)
    assert_nm001(session, uri, finding, types.DiagnosticSeverity.Warning)  # the file's severity still holds
    configure(session, {"rules": {"NM001": {"enabled": True, "severity": "information"}}})
    [finding] = await session.diagnostics_until(uri, lambda ds: len(ds) == 1 and ds[0].severity == types.DiagnosticSeverity.Information)
    assert_nm001(session, uri, finding, types.DiagnosticSeverity.Information)
    configure(session, {"rules": {"NM001": {"severity": "error"}}})  # a severity alone: the file's ignore is back
    assert await session.diagnostics_until(uri, lambda ds: ds == []) == []


@pytest.mark.workspace({"nilmap.toml": 'select = ["NM002"]\n'})
async def test_a_rule_enabled_in_the_editor_joins_the_files_select(session: Session) -> None:
    uri = session.open("main.go", BUG.format(pkg="main"))
    assert await session.diagnostics(uri) == []
    configure(session, {"rules": {"NM001": {"enabled": True}}})
    [finding] = await session.diagnostics_until(uri, lambda ds: len(ds) == 1)
    assert_nm001(session, uri, finding, types.DiagnosticSeverity.Error)


@pytest.mark.workspace({"nilmap.toml": 'exclude = ["gen/**"]\n'})
async def test_exclude_in_the_file_silences_generated_code(session: Session) -> None:
    generated = session.open("gen/zz_generated.go", BUG.format(pkg="gen"))
    written = session.open("app/main.go", BUG.format(pkg="app"))
    assert await session.diagnostics(generated) == []
    [finding] = await session.diagnostics(written)
    assert_nm001(session, written, finding, types.DiagnosticSeverity.Error)
    report = await session.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    by_uri = {item.uri: list(item.items) for item in report.items}
    assert by_uri[generated] == [] and [d.code for d in by_uri[written]] == ["NM001"]
    nowhere = types.Range(start=types.Position(line=4, character=1), end=types.Position(line=4, character=1))
    assert await session.code_actions(generated, nowhere, [], only=[types.CodeActionKind.QuickFix]) == []


@pytest.mark.workspace({"nilmap.toml": 'ignore = ["NM001"]\n'})
async def test_editing_the_file_on_disk_applies_at_once(session: Session) -> None:
    uri = session.open("main.go", BUG.format(pkg="main"))
    assert await session.diagnostics(uri) == []
    if session.name == "visual-studio-code":  # the client that registers watchers dynamically
        patterns = [  # registration options arrive as plain JSON
            w["globPattern"]
            for r in session.recorder.registrations
            if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
            for w in r.register_options["watchers"]
        ]
        assert {"**/*.go", "**/nilmap.toml", "**/.nilmap.toml"} <= set(patterns)
    config = session.write("nilmap.toml", '[severity]\nNM001 = "info"\n')
    changed_on_disk(session, config)
    [finding] = await session.diagnostics_until(uri, lambda ds: len(ds) == 1)
    assert_nm001(session, uri, finding, types.DiagnosticSeverity.Information)
    config.unlink()
    changed_on_disk(session, config, types.FileChangeType.Deleted)
    [finding] = await session.diagnostics_until(uri, lambda ds: len(ds) == 1 and ds[0].severity == types.DiagnosticSeverity.Error)
    assert_nm001(session, uri, finding, types.DiagnosticSeverity.Error)


@pytest.mark.workspace({"nilmap.toml": 'selec = ["NM002"]\nignore = ["NM001"]\n'})
async def test_a_broken_file_is_reported_once_and_the_defaults_apply(session: Session) -> None:
    config = session.root / "nilmap.toml"
    messages = session.client.messages
    first = session.open("main.go", BUG.format(pkg="main"))
    [finding] = await session.diagnostics(first)  # the defaults: NM001 on, as if there were no file
    assert_nm001(session, first, finding, types.DiagnosticSeverity.Error)
    await wait_for(session.client, types.WINDOW_SHOW_MESSAGE, lambda: bool(messages))
    [message] = messages
    assert message.type == types.MessageType.Error
    assert message.message.startswith(f"{config}:1: unknown key `selec`")
    assert message.message.endswith("; using the defaults")
    config_uri = config.as_uri()
    await wait_for(session.client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, lambda: bool(session.client.diagnostics.get(config_uri)))
    [marked] = session.client.diagnostics[config_uri]  # the error, at its line of the file
    assert (marked.range.start, marked.range.end) == (types.Position(0, 0), types.Position(0, len('selec = ["NM002"]')))
    assert marked.severity == types.DiagnosticSeverity.Error and marked.message.startswith("unknown key `selec`")
    second = session.open("other/main.go", BUG.format(pkg="other"))  # still publishing, and not told again
    [finding] = await session.diagnostics(second)
    assert_nm001(session, second, finding, types.DiagnosticSeverity.Error)
    assert len(messages) == 1

    session.write("nilmap.toml", 'ignore = ["NM001"]\n')  # fixed: the file applies
    changed_on_disk(session, config)
    assert await session.diagnostics_until(first, lambda ds: ds == []) == []
    await wait_for(session.client, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, lambda: len(session.client.diagnostics[config_uri]) == 0)
    session.write("nilmap.toml", 'ignore = ["NM001"]\n\n[severity]\nNM001 = "loud"\n')  # a new error: told again
    changed_on_disk(session, config)
    await wait_for(session.client, types.WINDOW_SHOW_MESSAGE, lambda: len(messages) == 2)
    assert messages[1].message.startswith(f"{config}:4: ") and "NM001" in messages[1].message and "loud" in messages[1].message
    [finding] = await session.diagnostics_until(first, lambda ds: len(ds) == 1)
    assert_nm001(session, first, finding, types.DiagnosticSeverity.Error)
