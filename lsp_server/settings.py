"""The client's settings for nilmap and their translation into `analyzers.checker.Settings`.

Shape (from `initializationOptions`, `workspace/didChangeConfiguration` or the `nilmap`
section of `workspace/configuration`)::

    {"rules": {"NM001": {"enabled": true, "severity": "error|warning|information"}},
     "exclude": ["**/zz_generated*.go", "vendor/**"]}

Settings that do not validate are replaced by the defaults as a whole (the caller tells the
user once); half-applying them would leave the user guessing which half counted. Pure
functions, called on the event loop.
"""
from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from typing import Any

from analyzers.checker import Settings
from analyzers.model import Severity

SECTION = "nilmap"
_CODE = re.compile(r"^NM\d{3}$")
_SEVERITIES = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "information": Severity.INFO,
    "info": Severity.INFO,
    "hint": Severity.INFO,
}


@dataclass(frozen=True)
class ServerSettings:
    """What the server does with the client's settings."""

    checker: Settings = field(default_factory=Settings)
    exclude: tuple[str, ...] = ()

    def excluded(self, path: str, roots: list[str]) -> bool:
        """Whether `path` matches an `exclude` glob, absolute or relative to a workspace root."""
        if not self.exclude:
            return False
        candidates = [path.replace(os.sep, "/")]
        for root in roots:
            if root and path.startswith(root.rstrip(os.sep) + os.sep):
                candidates.append(os.path.relpath(path, root).replace(os.sep, "/"))
        return any(_glob_match(c, pattern) for c in candidates for pattern in self.exclude)


def _glob_match(path: str, pattern: str) -> bool:
    # fnmatch's `*` crosses `/`, so `**/x` only needs its `**/` made optional for top-level x.
    if fnmatch.fnmatchcase(path, pattern):
        return True
    if pattern.startswith("**/") and fnmatch.fnmatchcase(path, pattern[3:]):
        return True
    return "/" not in pattern and fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pattern)


def parse_settings(raw: Any) -> tuple[ServerSettings, list[str]]:
    """The settings `raw` describes, or the defaults and what was wrong with it."""
    if raw is None:
        return ServerSettings(), []
    if isinstance(raw, dict) and isinstance(raw.get(SECTION), dict):
        raw = raw[SECTION]
    if not isinstance(raw, dict):
        return ServerSettings(), [f"settings must be an object, not {type(raw).__name__}"]
    problems: list[str] = []
    ignore: set[str] = set()
    enable: set[str] = set()
    severity: list[tuple[str, Severity]] = []
    rules = raw.get("rules", {})
    if not isinstance(rules, dict):
        problems.append("`rules` must be an object of rule codes")
        rules = {}
    for code, options in rules.items():
        if not isinstance(code, str) or not _CODE.match(code):
            problems.append(f"unknown rule code {code!r} in `rules`")
            continue
        if not isinstance(options, dict):
            problems.append(f"`rules.{code}` must be an object")
            continue
        enabled = options.get("enabled", True)
        if not isinstance(enabled, bool):
            problems.append(f"`rules.{code}.enabled` must be true or false")
        elif enabled:
            enable.add(code)
        else:
            ignore.add(code)
        if "severity" in options:
            level = _SEVERITIES.get(str(options["severity"]).lower())
            if level is None:
                problems.append(f"`rules.{code}.severity` must be error, warning or information")
            else:
                severity.append((code, level))
    exclude = raw.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(p, str) for p in exclude):
        problems.append("`exclude` must be a list of glob strings")
        exclude = []
    if problems:
        return ServerSettings(), problems
    return ServerSettings(_checker_settings(enable, ignore, tuple(severity)), tuple(exclude)), []


def _checker_settings(enable: set[str], ignore: set[str], severity: tuple[tuple[str, Severity], ...]) -> Settings:
    from analyzers.rules import RULES

    # `select=None` means "the default-enabled rules"; only widen it when asked for more.
    extra = {code for code in enable if any(r.code == code and not r.default_enabled for r in RULES)}
    # "NM9" keeps the suppression checks (NM9xx), which are not in the rule table.
    select = frozenset({r.code for r in RULES if r.default_enabled} | extra | {"NM9"}) if extra else None
    return Settings(select=select, ignore=frozenset(ignore), severity=severity)
