"""The workspace: indexing with work-done progress, workspace diagnostics, watched files,
workspace folders and settings changes."""
from __future__ import annotations

import pytest
from lsprotocol import types
from support import Session, wait_for

BUG = 'package {pkg}\n\nfunc f() {{\n\tvar m map[string]int\n\tm["a"] = 1\n}}\n'
CLEAN = "package {pkg}\n\nfunc g() int {{ return 1 }}\n"


def ended_progress(session: Session, title: str, end_message: str) -> list | None:
    """The reports of the progress with `title` that ended with `end_message`, if it did."""
    for reports in session.client.progress_reports.values():
        values = [r.value if hasattr(r, "value") else r for r in reports]
        if any(getattr(v, "title", None) == title for v in values) and any(
            getattr(v, "kind", "") == "end" and getattr(v, "message", "") == end_message for v in values
        ):
            return values
    return None


async def test_added_folder_is_indexed_with_progress_and_served_by_workspace_diagnostics(session: Session) -> None:
    folder = session.root / "services"
    for i in range(6):
        session.write(f"services/pkg{i}/a.go", BUG.format(pkg=f"pkg{i}"))
        session.write(f"services/pkg{i}/b.go", CLEAN.format(pkg=f"pkg{i}"))
    session.client.workspace_did_change_workspace_folders(
        types.DidChangeWorkspaceFoldersParams(
            event=types.WorkspaceFoldersChangeEvent(added=[types.WorkspaceFolder(uri=folder.as_uri(), name="services")], removed=[])
        )
    )
    # The folder's own indexing (the workspace root's, with nothing to index, may end after it).
    title, end = "nilmap: indexing Go packages", "indexed 6 directories"
    await wait_for(session.client, types.PROGRESS, lambda: ended_progress(session, title, end) is not None)
    kinds = [getattr(r, "kind", None) for r in ended_progress(session, title, end) or []]
    assert kinds[0] == "begin" and kinds[-1] == "end" and "report" in kinds

    report = await session.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    by_uri = {item.uri: item for item in report.items}
    for i in range(6):
        a = by_uri[(folder / f"pkg{i}" / "a.go").as_uri()]
        b = by_uri[(folder / f"pkg{i}" / "b.go").as_uri()]
        assert [d.code for d in a.items] == ["NM001"] and list(b.items) == []
    unchanged = await session.client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(
            previous_result_ids=[types.PreviousResultId(uri=i.uri, value=i.result_id) for i in report.items]
        )
    )
    assert {item.kind for item in unchanged.items} == {"unchanged"}


# Indexing lists the package directories and reads none of their files: a package is read
# when first needed, so one written after indexing (no watched-file event: not every client
# watches) is checked as it is then, not as it was at start-up.
@pytest.mark.workspace({"store/a.go": CLEAN.format(pkg="store")})
async def test_a_package_is_read_when_first_needed_not_at_indexing(session: Session) -> None:
    title, end = "nilmap: indexing Go packages", "indexed 1 directories"
    await wait_for(session.client, types.PROGRESS, lambda: ended_progress(session, title, end) is not None)
    path = session.write("store/a.go", BUG.format(pkg="store"))
    report = await session.client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    by_uri = {item.uri: item for item in report.items}
    assert [d.code for d in by_uri[path.as_uri()].items] == ["NM001"]


# On disk before the server starts: written later, it could be read half-written by the
# initial indexing, and no watched-file event would tell the server.
@pytest.mark.workspace({"registry.go": "package main\n\nvar registry map[string]int\n"})
async def test_watched_file_changes_on_disk_reach_open_neighbours(session: Session) -> None:
    uri = session.open("register.go", 'package main\n\nfunc register(k string) {\n\tregistry[k] = 1\n}\n')
    assert [d.code for d in await session.diagnostics(uri)] == ["NM001"]
    if session.name == "visual-studio-code":  # the client that registers watchers dynamically
        assert any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in session.recorder.registrations)
    path = session.write("registry.go", "package main\n\nvar registry = map[string]int{}\n")
    session.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)])
    )
    assert await session.diagnostics_until(uri, lambda ds: ds == []) == []


async def test_disabling_a_rule_makes_its_diagnostics_vanish(session: Session) -> None:
    uri = session.open("main.go", BUG.format(pkg="main"))
    [diagnostic] = await session.diagnostics(uri)
    assert diagnostic.severity == types.DiagnosticSeverity.Error
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"nilmap": {"rules": {"NM001": {"enabled": False}}}})
    )
    assert await session.diagnostics_until(uri, lambda ds: ds == []) == []
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"nilmap": {"rules": {"NM001": {"severity": "information"}}}})
    )
    [back] = await session.diagnostics_until(uri, lambda ds: len(ds) == 1)
    assert back.severity == types.DiagnosticSeverity.Information
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"nilmap": {"exclude": ["**/main.go"]}})
    )
    assert await session.diagnostics_until(uri, lambda ds: ds == []) == []


async def test_invalid_settings_change_falls_back_to_defaults_with_one_message(session: Session) -> None:
    uri = session.open("main.go", BUG.format(pkg="main"))
    await session.diagnostics(uri)
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"nilmap": {"rules": {"NM001": {"enabled": False}}}})
    )
    await session.diagnostics_until(uri, lambda ds: ds == [])
    session.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"nilmap": {"rules": {"NM001": {"severity": "loud"}}, "exclude": "x"}})
    )
    await wait_for(session.client, types.WINDOW_SHOW_MESSAGE, lambda: bool(session.client.messages))
    assert len(session.client.messages) == 1 and "invalid settings" in session.client.messages[0].message
    [back] = await session.diagnostics_until(uri, lambda ds: len(ds) == 1)  # defaults: NM001 is on again
    assert back.code == "NM001"
