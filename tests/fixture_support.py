"""Loading rule fixtures: `tests/fixtures/<rule module>/<scenario>/` Go packages."""
from __future__ import annotations

import pathlib

from analyzers.checker import Settings, check_package
from analyzers.index import PackageIndex
from analyzers.model import Diagnostic
from analyzers.rules import RULES
from analyzers.source import SourceFile

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def rule_for_directory(rule_dir: str):
    """The rule a fixture directory is named after (its module name)."""
    for rule in RULES:
        if rule.run.__module__.rsplit(".", 1)[-1] == rule_dir:
            return rule
    raise LookupError(f"no rule module named {rule_dir}")


def scenarios() -> list[pathlib.Path]:
    return sorted(p for p in FIXTURES.glob("*/*") if p.is_dir() and any(p.glob("*.go")))


def go_files(scenario: pathlib.Path) -> list[pathlib.Path]:
    return sorted(scenario.glob("*.go"))


def module_files(scenario: pathlib.Path) -> dict[str, bytes]:
    """What else a build of the scenario needs: its own go.mod and the other packages of its
    module (sub-directories), and modules its go.mod replaces with a sub-directory (a stand-in
    for a library, `replace sigs.k8s.io/yaml => ./yaml`), by path relative to the scenario."""
    found = {}
    if (scenario / "go.mod").exists():
        found["go.mod"] = (scenario / "go.mod").read_bytes()
    for path in sorted([*scenario.glob("*/**/*.go"), *scenario.glob("*/**/go.mod")]):
        found[str(path.relative_to(scenario))] = path.read_bytes()
    return found


def check_scenario(scenario: pathlib.Path, only_rule: bool = True) -> list[Diagnostic]:
    files = [SourceFile(str(p), p.read_bytes()) for p in go_files(scenario)]
    package = PackageIndex(files)
    rule = rule_for_directory(scenario.parent.name)
    rules = (rule,) if only_rule else None
    settings = Settings(select=frozenset({rule.code})) if only_rule else Settings()
    return check_package(package, None, settings, rules=rules).diagnostics


def is_main(scenario: pathlib.Path) -> bool:
    return any(SourceFile(str(p), p.read_bytes()).package_name == "main" for p in go_files(scenario))
