"""The project's `nilmap.toml` for each directory the server checks, under the editor's settings.

A `Scope` is how one directory is checked: the file's settings with the editor's on top
(`ServerSettings.over`), and both `exclude` lists (the file's relative to its directory, the
editor's relative to the workspace roots). `ProjectConfigs` finds and reads the files with
the CLI's `ConfigResolver`; a file with an error counts as absent (the defaults apply) and
is reported once per distinct error until it reads cleanly again. Runs on the event loop:
finding a file is a few `stat`s per directory, once, and reading one is done once per change.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from analyzers.config import DEFAULT, Config, ConfigError, ConfigResolver
from analyzers.rule import Settings
from lsp_server.settings import ServerSettings

log = logging.getLogger("nilmap.lsp")


@dataclass(frozen=True)
class Scope:
    """The effective settings of one directory."""

    checker: Settings
    config: Config
    editor: ServerSettings
    roots: tuple[str, ...]

    def excluded(self, path: str) -> bool:
        """Whether `path` (a file, or a directory: all below it) gets no findings."""
        return self.editor.excluded(path, self.roots) or self.config.excludes(path)


class ProjectConfigs:
    """The configuration file of each directory, read once per change."""

    def __init__(self, report: Callable[[ConfigError], None], cleared: Callable[[str], None] = lambda path: None) -> None:
        self.resolver = ConfigResolver()
        self._report = report
        self._cleared = cleared  # a file reported before reads cleanly now, or is gone
        self._failed: dict[str, ConfigError] = {}  # file -> its error, until `forget`
        self._reported: dict[str, str] = {}  # file -> the error the user was last told of

    def config_for(self, directory: str) -> Config:
        """The file's settings for `directory` (absolute), or the defaults when it has none
        or it cannot be used."""
        if not os.path.isabs(directory):
            return DEFAULT  # an untitled buffer: no file applies
        found = self.resolver.path_for(directory)
        if found is None or found in self._failed:
            return DEFAULT
        try:
            config = self.resolver.config_for(directory)
        except ConfigError as error:
            log.warning("%s; using the defaults", error)
            self._failed[found] = error
            if self._reported.get(found) != str(error):
                self._reported[found] = str(error)
                self._report(error)
            return DEFAULT
        if self._reported.pop(found, None) is not None:
            self._cleared(found)
        return config

    def forget(self) -> None:
        """A configuration file was created, changed or deleted: find and read them again."""
        self.resolver.forget()
        self._failed.clear()
        for path in [p for p in self._reported if not os.path.isfile(p)]:
            del self._reported[path]
            self._cleared(path)

    def scope(self, directory: str, editor: ServerSettings, roots: list[str]) -> Scope:
        config = self.config_for(directory)
        return Scope(editor.over(config.settings()), config, editor, tuple(roots))
