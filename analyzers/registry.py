"""Rule metadata and documentation, rendered in one place.

Each rule module's docstring is its documentation, with ruff's headings. The hover text,
the documentation link, SARIF's `fullDescription` and the README's rule table all come
from `Rule` objects built here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Literal

from analyzers.model import Severity

if TYPE_CHECKING:
    from analyzers.checker import Pass

DOCS_URL = "https://github.com/nilmap/nilmap/blob/main/docs/rules.md#{code}"
REQUIRED_HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "## Known problems", "## References")


@dataclass(frozen=True)
class Rule:
    """A rule's identity, documentation and check."""

    code: str
    name: str
    title: str
    severity: Severity
    since: str
    fix_availability: Literal["never", "sometimes", "always"]
    default_enabled: bool
    doc: str
    run: Callable[["Pass"], None] | None  # None: applied by the checker itself (NM900)

    @property
    def url(self) -> str:
        return DOCS_URL.format(code=self.code.lower())

    def section(self, heading: str) -> str:
        """The text under one `## heading` of the documentation, without the heading."""
        match = re.search(rf"^## {re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", self.doc, re.M | re.S)
        return match.group(1).strip() if match else ""

    @property
    def summary(self) -> str:
        """The first sentence of `## What it does`."""
        what = self.section("What it does")
        return what.split("\n\n")[0].replace("\n", " ")

    def markdown(self) -> str:
        """The documentation as Markdown, headed by code and name (hover and docs)."""
        return f"# {self.code} {self.name}\n\n{self.doc.strip()}\n"


def documented_rules() -> tuple[Rule, ...]:
    """Every code a finding can carry: the rules, then the checks on suppressions."""
    from analyzers.rules import RULES
    from analyzers.suppressions import RULE as SUPPRESSIONS

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
