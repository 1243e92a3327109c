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
