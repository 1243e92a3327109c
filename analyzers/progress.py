"""A one-line progress bar on stderr for big trees, drawn only on a terminal.

CI logs stay clean: when stderr is a file or a pipe, or `TERM=dumb`, nothing is drawn. The
line is redrawn in place at most ten times a second and erased at the end, so the report
on stdout (or stderr's own messages) never lands in the middle of it.
"""
from __future__ import annotations

import os
import shutil
import time
from typing import TextIO

MIN_FILES = 300  # below this a check takes about a second: a bar would only flicker
REDRAW_SECONDS = 0.1


def wanted(stream: TextIO, files: int, enabled: bool = True) -> bool:
    """Whether a tree of `files` files gets a bar on `stream`."""
    if not enabled or files < MIN_FILES or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class ProgressBar:
    """`  1,204/3,013 files [#######-----------]  40%  412 files/s  1 finding`"""

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream, self.total = stream, total
        self.done = self.findings = 0
        self.started = time.monotonic()
        self._drawn_at = 0.0

    def advance(self, files: int, findings: int) -> None:
        self.done += files
        self.findings += findings
        now = time.monotonic()
        if now - self._drawn_at >= REDRAW_SECONDS or self.done >= self.total:
            self._drawn_at = now
            self._draw(now)

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        share = min(self.done / self.total, 1.0) if self.total else 1.0
        noun = "finding" if self.findings == 1 else "findings"
        counts = f"{self.done:,}/{self.total:,} files"
        tail = f"{share:4.0%}  {rate:,.0f} files/s  {self.findings:,} {noun}"
        columns = self._columns()
        width = max(0, min(30, columns - len(counts) - len(tail) - 6))
        filled = round(width * share)
        bar = f" [{'#' * filled}{'-' * (width - filled)}]" if width >= 10 else ""
        return f"{counts}{bar}  {tail}"[: max(columns - 1, 1)]

    def _columns(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or 80
        except (AttributeError, OSError, ValueError):
            return shutil.get_terminal_size((80, 24)).columns

    def _draw(self, now: float) -> None:
        self.stream.write("\r\x1b[K" + self.line(now))
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar, leaving the cursor at the start of an empty line."""
        self.stream.write("\r\x1b[K")
        self.stream.flush()
