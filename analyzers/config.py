"""`nilmap.toml` / `.nilmap.toml`: the project's settings, shared by the CLI and the server.

The file nearest to a checked path, looking upward, applies to it (as ruff looks for
`ruff.toml`); `.nilmap.toml` wins over `nilmap.toml` in the same directory. The shape::

    select = ["NM001", "NM003"]          # codes or prefixes ("NM00"); default: every rule
    ignore = ["NM004"]
    exclude = ["**/zz_generated*.go", "third_party"]   # relative to the file's directory

    [severity]
    NM002 = "warning"                    # error, warning or info

An unknown key or a bad value is a `ConfigError` naming the file and the line, so that a
typo never silently turns a rule off.
"""
from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field

from analyzers import globs
from analyzers.rule import Settings
from analyzers.model import Severity
from analyzers.registry import code_of, documented_rules

CONFIG_NAMES = (".nilmap.toml", "nilmap.toml")
SEVERITIES = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
_KEYS = ("select", "ignore", "exclude", "severity")


class ConfigError(Exception):
    """A configuration file nilmap cannot use; `str()` is `path:line: message`."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = path, line, message

    def __str__(self) -> str:
        path = os.path.relpath(self.path) if os.path.isabs(self.path) and _under_cwd(self.path) else self.path
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: {self.message}"


def _under_cwd(path: str) -> bool:
    try:
        return os.path.commonpath([os.getcwd(), path]) == os.getcwd()
    except ValueError:  # another drive
        return False


@dataclass(frozen=True)
class Config:
    """One file's settings; `path` is None for the built-in defaults."""

    path: str | None = None
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    exclude: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()

    @property
    def directory(self) -> str | None:
        return os.path.dirname(self.path) if self.path else None

    def settings(self) -> Settings:
        return Settings(select=self.select, ignore=self.ignore, severity=self.severity)

    def excludes(self, path: str) -> bool:
        """Whether `path` matches an `exclude` pattern, taken relative to the file's directory."""
        if not self.exclude or self.directory is None:
            return False
        relative = os.path.relpath(os.path.abspath(path), self.directory)
        if relative.startswith(".."):
            return False
        return globs.matches_any(relative.replace(os.sep, "/"), self.exclude)


DEFAULT = Config()


def find_config(start: str) -> str | None:
    """The configuration file for `start` (a file or directory): the nearest one upward."""
    directory = os.path.abspath(start)
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def load_config(path: str) -> Config:
    """Read and validate one file; raises `ConfigError`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ConfigError(path, None, exc.strerror or str(exc)) from None
    try:
        text = data.decode("utf-8")
        table = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(path, None, "not UTF-8 text") from None
    except RecursionError:  # tomllib recurses once per level of nesting
        raise ConfigError(path, None, "invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(match.group(1)) if match else max(1, len(text.splitlines())) if "end of document" in str(exc) else None
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise ConfigError(path, line, f"invalid TOML: {message}") from None
    return _Validator(path, text).config(table)


def _known_codes() -> frozenset[str]:

    return frozenset(rule.code for rule in documented_rules())


def _listing(codes: frozenset[str]) -> str:
    return ", ".join(sorted(codes))


def is_rule_selector(code: str) -> bool:
    """A rule code or a prefix of one (`NM001`, `NM00`, `NM`), or a rule's name, as `select` and `ignore` take."""
    code = code_of(code)
    return re.fullmatch(r"NM\d{0,3}", code) is not None and any(k.startswith(code) for k in _known_codes())


def known_codes_listing() -> str:
    return _listing(_known_codes())


@dataclass
class _Validator:
    """Checks a parsed file against the schema, pointing errors at their lines."""

    path: str
    text: str
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines()

    def config(self, table: dict) -> Config:
        for key in table:
            if key not in _KEYS:
                close = difflib.get_close_matches(key, _KEYS, n=1)
                hint = f"; did you mean `{close[0]}`?" if close else f"; known keys: {', '.join(_KEYS)}"
                raise self.error(f"unknown key `{key}`{hint}", key)
        select = self.codes(table, "select") if "select" in table else None
        ignore = self.codes(table, "ignore") if "ignore" in table else frozenset()
        exclude = self.globs(table, "exclude") if "exclude" in table else ()
        severity = self.severities(table.get("severity", {}))
        return Config(self.path, select, ignore, exclude, severity)

    def strings(self, table: dict, key: str) -> list[str]:
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"`{key}` must be a list of strings", key)
        return value

    def globs(self, table: dict, key: str) -> tuple[str, ...]:
        patterns = self.strings(table, key)
        for pattern in patterns:
            problem = globs.problem(pattern)
            if problem is not None:
                raise self.error(f"invalid glob `{pattern}` in `{key}`: {problem}", key, pattern)
        return tuple(patterns)

    def codes(self, table: dict, key: str) -> frozenset[str]:
        codes = self.strings(table, key)
        for code in codes:
            if not is_rule_selector(code):
                raise self.error(f'unknown rule code "{code}" in `{key}`; known codes: {known_codes_listing()}', key, code)
        return frozenset(code_of(code) for code in codes)

    def severities(self, value: object) -> tuple[tuple[str, Severity], ...]:
        if not isinstance(value, dict):
            raise self.error("`severity` must be a table of rule codes, e.g. NM002 = \"warning\"", "severity")
        known = _known_codes()
        out = []
        for key, level in value.items():
            code = code_of(key)
            if code not in known:
                raise self.error(f'unknown rule code "{key}" in [severity]; known codes: {known_codes_listing()}', key, table="severity")
            if not isinstance(level, str) or level.lower() not in SEVERITIES:
                raise self.error(f'severity of {key} must be "error", "warning" or "info", not {level!r}', key, table="severity")
            out.append((code, SEVERITIES[level.lower()]))
        return tuple(sorted(out))

    def error(self, message: str, key: str, value: str | None = None, table: str | None = None) -> ConfigError:
        return ConfigError(self.path, self.line_of(key, value, table), message)

    def line_of(self, key: str, value: str | None, table: str | None) -> int | None:
        """The 1-based line of `key` (in `[table]`, or top level), or of `value` after it."""
        current: str | None = None
        key_pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*[=.]""")
        for number, line in enumerate(self.lines, 1):
            header = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
            if header:
                current = header.group(1).strip("\"'")
                if table is None and current == key:
                    return number
                continue
            if current == table and key_pattern.match(line):
                if value is None:
                    return number
                for offset, later in enumerate(self.lines[number - 1 :]):
                    if f'"{value}"' in later or f"'{value}'" in later:
                        return number + offset
                return number
        return None


class ConfigResolver:
    """Finds and loads the file for each directory, once; `override` replaces the search."""

    def __init__(self, override: str | None = None, isolated: bool = False) -> None:
        self.override, self.isolated = override, isolated
        self._by_directory: dict[str, str | None] = {}
        self._loaded: dict[str, Config] = {}

    def path_for(self, path: str) -> str | None:
        if self.isolated:
            return None
        if self.override is not None:
            return self.override
        directory = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
        if directory not in self._by_directory:
            self._by_directory[directory] = find_config(directory)
        return self._by_directory[directory]

    def config_for(self, path: str) -> Config:
        """The settings for a file or directory; raises `ConfigError`."""
        found = self.path_for(path)
        if found is None:
            return DEFAULT
        if found not in self._loaded:
            self._loaded[found] = load_config(found)
        return self._loaded[found]

    def forget(self) -> None:
        """Drop what was found and read (a configuration file was created, changed or deleted)."""
        self._by_directory.clear()
        self._loaded.clear()
