"""The table-driven rule runner: every fixture scenario, checked by the rule it is named after."""
from __future__ import annotations

import pathlib

import pytest

from analyzers.source import SourceFile
from tests.fixture_support import check_scenario, go_files, scenarios
from tests.wants import match_findings, parse_wants


def _id(path: pathlib.Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("scenario", scenarios(), ids=_id)
def test_fixture(scenario: pathlib.Path) -> None:
    wants = []
    for path in go_files(scenario):
        wants.extend(parse_wants(str(path), path.read_text()))
    diagnostics = check_scenario(scenario)
    findings = []
    for d in diagnostics:
        lines = SourceFile(d.path, pathlib.Path(d.path).read_bytes()).lines
        findings.append((d.path, lines.line_of(d.span.start) + 1, d.message))
    problems = match_findings(wants, findings)
    assert not problems, "\n".join(problems)


FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def _call_severities(scenario: str) -> dict[int, str]:
    """The severity of each call finding ("call of ...") of a scenario, by line."""
    found = {}
    for d in check_scenario(FIXTURES / scenario):
        if d.message.startswith("call of "):
            line = SourceFile(d.path, pathlib.Path(d.path).read_bytes()).lines.line_of(d.span.start) + 1
            found[line] = d.severity.name.lower()
    return found


def test_nil_handed_to_a_case_the_call_settles_is_an_error() -> None:
    # The callee writes only in the case `e.kind == opened`, and the caller's value is opened.
    assert _call_severities("nil_map_write/callee_writes_nil_argument_in_case") == {34: "error"}


def test_nil_handed_to_a_case_the_call_leaves_open_is_a_warning() -> None:
    # Whether the writing case runs depends on data the call cannot tell: the nil is certain,
    # the write is not, so it is no error.
    assert _call_severities("nil_map_write_on_some_paths/callee_writes_nil_argument_in_open_case") == {34: "warning"}
