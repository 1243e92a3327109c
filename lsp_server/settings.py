"""The client's settings for nilmap, and how they combine with the project's `nilmap.toml`.

Shape (from `initializationOptions`, `workspace/didChangeConfiguration` or the `nilmap`
section of `workspace/configuration`)::

    {"rules": {"NM001": {"enabled": true, "severity": "error|warning|information"}},
     "exclude": ["**/zz_generated*.go", "vendor/**"]}

What the user set in the editor wins over the configuration file, as command-line flags win
over it in the CLI (`ServerSettings.over`); only what was set counts, so a rule given just a
severity keeps the file's `select`/`ignore`. Editor `exclude` globs are relative to the
workspace roots and use the file's syntax (`analyzers.globs`).

Settings that do not validate are replaced by the defaults as a whole (the caller tells the
user once); half-applying them would leave the user guessing which half counted. Pure
functions, called on the event loop.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from analyzers import globs
from analyzers.model import Severity
from analyzers.registry import code_of
from analyzers.rule import Settings

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
    """What the user set in the editor."""

    enable: frozenset[str] = frozenset()  # rules.NMxxx.enabled = true
    disable: frozenset[str] = frozenset()  # rules.NMxxx.enabled = false
    severity: tuple[tuple[str, Severity], ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def checker(self) -> Settings:
        """The checker's settings where no configuration file applies."""
        return self.over(Settings())

    def over(self, base: Settings) -> Settings:
        """`base` (a configuration file's settings) with the editor's choices on top.

        `enabled: false` adds the code to `ignore`; `enabled: true` takes it out of `ignore`
        (a prefix there is narrowed to the other codes it covers) and adds it to `select`
        when there is one (or makes one, for a rule that is off by default); an editor
        severity replaces the file's.
        """
        from analyzers.rules import RULES
        from analyzers.suppressions import CODE as SUPPRESSION_CODE

        known = {r.code for r in RULES} | {SUPPRESSION_CODE}
        defaults = {r.code for r in RULES if r.default_enabled}
        ignore = set(base.ignore)
        for code in self.enable:
            ignore = {kept for entry in ignore for kept in _narrow(entry, code, known)}
        ignore |= self.disable
        select = set(base.select) if base.select is not None else None
        if select is None and any(c in known and c not in defaults for c in self.enable):
            # `select=None` means "the default-enabled rules"; "NM9" keeps the suppression checks.
            select = defaults | {"NM9"}
        if select is not None:
            select |= self.enable
        severity = tuple(sorted((dict(base.severity) | dict(self.severity)).items()))
        return Settings(select=frozenset(select) if select is not None else None, ignore=frozenset(ignore), severity=severity)

    def excluded(self, path: str, roots: list[str] | tuple[str, ...]) -> bool:
        """Whether `path` (a file or directory) matches an editor `exclude` glob.

        Globs are taken relative to each workspace root holding `path` (relative to `/`
        outside every root, where only unanchored globs like `**/gen/**` can match); a glob
        that starts with `/` is an absolute one. A root itself is never excluded.
        """
        if not self.exclude:
            return False
        if not os.path.isabs(path):  # an untitled buffer: its name is all there is
            return globs.matches_any(path.replace(os.sep, "/"), self.exclude)
        from_top = os.path.relpath(path, os.sep).replace(os.sep, "/")
        relative = [p for p in self.exclude if not p.startswith("/")]
        # `./x` keeps an absolute `/x` anchored once its `/` is gone (see analyzers.globs).
        absolute = ["./" + p.lstrip("/") for p in self.exclude if p.startswith("/")]
        if absolute and globs.matches_any(from_top, absolute):
            return True
        candidates = [os.path.relpath(path, r).replace(os.sep, "/") for r in roots if r and _within(path, r)]
        return any(c != "." and globs.matches_any(c, relative) for c in candidates or [from_top])


def _within(path: str, root: str) -> bool:
    root = os.path.abspath(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _narrow(entry: str, code: str, known: set[str]) -> set[str]:
    """An `ignore` entry without `code`: itself, nothing, or the other codes its prefix covers."""
    if entry == code:
        return set()
    if code.startswith(entry):
        return {k for k in known if k.startswith(entry) and k != code}
    return {entry}


def parse_settings(raw: Any) -> tuple[ServerSettings, list[str]]:
    """The settings `raw` describes, or the defaults and what was wrong with it."""
    if raw is None:
        return ServerSettings(), []
    if isinstance(raw, dict) and isinstance(raw.get(SECTION), dict):
        raw = raw[SECTION]
    if not isinstance(raw, dict):
        return ServerSettings(), [f"settings must be an object, not {type(raw).__name__}"]
    problems: list[str] = []
    enable: set[str] = set()
    disable: set[str] = set()
    severity: list[tuple[str, Severity]] = []
    rules = raw.get("rules", {})
    if not isinstance(rules, dict):
        problems.append("`rules` must be an object of rule codes")
        rules = {}
    for key, options in rules.items():
        code = code_of(key) if isinstance(key, str) else ""  # a rule's name works as its code
        if not _CODE.match(code):
            problems.append(f"unknown rule code {key!r} in `rules`")
            continue
        if not isinstance(options, dict):
            problems.append(f"`rules.{code}` must be an object")
            continue
        enabled = options.get("enabled")
        if enabled is not None and not isinstance(enabled, bool):
            problems.append(f"`rules.{code}.enabled` must be true or false")
        elif enabled is not None:
            (enable if enabled else disable).add(code)
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
    for pattern in exclude:
        problem = globs.problem(pattern)
        if problem is not None:
            problems.append(f"invalid glob `{pattern}` in `exclude`: {problem}")
    if problems:
        return ServerSettings(), problems
    return ServerSettings(frozenset(enable), frozenset(disable), tuple(sorted(severity)), tuple(exclude)), []
