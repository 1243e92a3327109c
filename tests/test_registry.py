"""The rule table and each rule's documentation."""
from __future__ import annotations

import pathlib
import pkgutil
import re

import analyzers.rules
from analyzers.registry import REQUIRED_HEADINGS, documented_rules
from analyzers.rules import RULES

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def test_every_rule_module_is_registered() -> None:
    modules = {m.name for m in pkgutil.iter_modules(analyzers.rules.__path__) if not m.name.startswith("_")}
    registered = {rule.run.__module__.rsplit(".", 1)[-1] for rule in RULES}
    assert modules == registered


def test_every_rule_has_fixtures() -> None:
    for rule in RULES:
        module = rule.run.__module__.rsplit(".", 1)[-1]
        assert any((FIXTURES / module).glob("*/*.go")), f"{rule.code} has no fixtures in tests/fixtures/{module}"


def test_identity_and_documentation() -> None:
    codes = [rule.code for rule in documented_rules()]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert all(rule.run is not None for rule in RULES)
    for rule in documented_rules():
        assert re.fullmatch(r"NM\d{3}", rule.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert rule.title == rule.title.lower() and not rule.title.endswith(".") and len(rule.title) <= 60
        for heading in REQUIRED_HEADINGS:
            assert heading in rule.doc, f"{rule.code} lacks {heading!r}"
        order = [rule.doc.index(h) for h in REQUIRED_HEADINGS]
        assert order == sorted(order), f"{rule.code}: headings out of order"
        assert "Use instead:" in rule.doc
        if rule.fix_availability != "never":
            assert "## Fix safety" in rule.doc
        assert rule.summary.startswith("Checks for")
        assert rule.markdown().startswith(f"# {rule.code} {rule.name}")


def test_readme_rule_table_matches_the_registry() -> None:
    readme = (pathlib.Path(__file__).parents[1] / "README.md").read_text()
    for rule in documented_rules():
        assert f"| {rule.code} | `{rule.name}` | {rule.title} |" in readme


def test_rules_document_is_current() -> None:
    """docs/rules.md, where diagnostics link, is what `nilmap rules --markdown` prints."""
    from analyzers.registry import rules_document

    document = (pathlib.Path(__file__).parents[1] / "docs/rules.md").read_text()
    assert document == rules_document(), "docs/rules.md is out of date: nilmap rules --markdown > docs/rules.md"
    for rule in RULES:
        assert rule.url.endswith(f"docs/rules.md#{rule.code.lower()}")
        assert f'<a id="{rule.code.lower()}"></a>' in document
