"""The catalogue of rule documentation: every code a finding can carry, looked up by code.

Each rule module's docstring is its documentation, with ruff's headings. The hover text,
the documentation link, SARIF's `fullDescription` and docs/rules.md all come from the
`Rule` objects listed here.
"""
from __future__ import annotations

from analyzers.rule import Rule
from analyzers.rules import RULES
from analyzers.suppressions import RULE as SUPPRESSIONS

REQUIRED_HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "## Known problems", "## References")


def documented_rules() -> tuple[Rule, ...]:
    """Every code a finding can carry: the rules, then the checks on suppressions."""
    return (*RULES, SUPPRESSIONS)


def rules_document() -> str:
    """docs/rules.md: every rule's documentation, one section each (the links point here)."""
    parts = ["# nilmap rules", "", "Generated from the rules' documentation by `nilmap rules --markdown`.", ""]
    for rule in documented_rules():
        parts.append(f'<a id="{rule.code.lower()}"></a>')
        body = rule.doc.strip().replace("\n## ", "\n### ")
        if body.startswith("## "):
            body = "#" + body
        parts.extend([f"## {rule.code} {rule.name}", "", f"*{rule.title}* — default severity {rule.severity.name.lower()}, since {rule.since}.", "", body, ""])
    return "\n".join(parts)


def rule_by_code(code: str) -> Rule | None:
    for rule in documented_rules():
        if rule.code == code:
            return rule
    return None


def rule_by_name(text: str) -> Rule | None:
    """The rule `text` names, by code (any case) or by name (`map-field-not-initialised`)."""
    wanted = text.strip()
    for rule in documented_rules():
        if rule.code == wanted.upper() or rule.name == wanted.lower():
            return rule
    return None


def code_of(selector: str) -> str:
    """A rule name turned into its code; codes and prefixes (`nm00`) come back upper-cased.

    Names are accepted wherever codes are (flags, `nilmap.toml`, editor settings), as the
    README's rule table shows both.
    """
    rule = rule_by_name(selector)
    return rule.code if rule is not None else selector.strip().upper()
