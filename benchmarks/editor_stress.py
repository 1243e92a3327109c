"""The language server under a typing storm: memory over many edits, settle time after a
burst, and per-keystroke latency with an unclosed raw string open.

Run: `python3 benchmarks/editor_stress.py [--edits 100000] [--only memory,burst,keystroke]`.
Not a test: it prints figures and asserts nothing. `--server "python -m lsp_server"` runs
another build of the server (e.g. an older commit on PYTHONPATH) for a before/after.

1. memory: `net/http/server.go` (4,000 lines) open, a number literal in one function
   rewritten at every edit (every text new, the file's size constant); the server's RSS
   (VmRSS from /proc). Twice: a clean file, and with an unclosed raw string in an
   earlier function (the rest of the file swallowed into the string while it is open).
   Edits go in bursts of `--burst` (10), each followed by the publish of its last version;
   RSS is read at every tenth of the run.
2. burst: a 5,000-line file; 200 keystrokes sent back to back; the time from the last
   keystroke to the publish of its version ("settle"). Clean and with the raw string open.
3. keystroke: one keystroke, then wait for its publish, 100 times: median and p95 of the
   didChange -> publishDiagnostics latency, clean and with the raw string open.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_latency import Probe, big_file, open_doc, start, stop  # noqa: E402

GOROOT_SRC = Path("/usr/local/go/src")
SERVER_FILE = GOROOT_SRC / "net/http/server.go"
RAW_STRING = "\tunclosed := `still typing\n"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Editor:
    """A document the benchmark types into: keeps the client's text and version."""

    def __init__(self, probe: Probe, path: Path, text: str) -> None:
        self.probe, self.text, self.version = probe, text, 1
        self.uri = open_doc(probe, path, text)

    def replace_line(self, line: int, new_line: str) -> int:
        lines = self.text.split("\n")
        old = lines[line]
        lines[line] = new_line
        self.text = "\n".join(lines)
        self.version += 1
        rng = types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=len(old)))
        self.probe.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
                content_changes=[types.TextDocumentContentChangePartial(range=rng, text=new_line)],
            )
        )
        return self.version

    async def published(self, version: int, timeout: float = 600) -> float:
        """When the publish of `version` (or a later one) arrived."""
        deadline = time.perf_counter() + timeout
        while True:
            for stamp, published, _ in reversed(self.probe.published.get(self.uri, [])):
                if published is not None and published >= version:
                    return stamp
            self.probe.changed.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no publish of version {version}")
            await asyncio.wait_for(self.probe.changed.wait(), remaining)


def with_raw_string(text: str, before: str) -> str:
    """`text` with an unclosed raw string at the start of the function `before` names."""
    at = text.index(before)
    at = text.index("\n", at) + 1
    return text[:at] + RAW_STRING + text[at:]


def _server_pid(probe: Probe) -> int:
    return probe.client._server.pid  # type: ignore[attr-defined]


async def memory(command: list[str], edits: int, broken: bool, burst_size: int) -> list[tuple[int, float]]:
    root = Path(tempfile.mkdtemp(prefix="nilmap-stress-"))
    (root / "go.mod").write_text("module example.com/stress\n\ngo 1.22\n")
    text = SERVER_FILE.read_text()
    if broken:
        text = with_raw_string(text, "func (c *conn) serve(")
    # The edited line: a literal in a function after the raw string (swallowed while it is open).
    anchor = text.index("func (c *conn) hijacked() bool {")
    line = text[:anchor].count("\n") + 1
    lines = text.split("\n")
    lines.insert(line, "\t_ = 0")
    text = "\n".join(lines)
    probe = await start(command, root)
    figures: list[tuple[int, float]] = []
    try:
        editor = Editor(probe, root / "server.go", text)
        await editor.published(1)
        figures.append((0, rss_mb(_server_pid(probe))))
        done = 0
        while done < edits:
            burst = min(burst_size, edits - done)
            for _ in range(burst):
                done += 1
                version = editor.replace_line(line, f"\t_ = {done}")
            await editor.published(version)
            if done % max(edits // 10, 1) == 0 or done == edits:
                figures.append((done, rss_mb(_server_pid(probe))))
                print(f"  {'broken' if broken else 'clean'}: {done:,} edits: {figures[-1][1]:.0f} MB", file=sys.stderr, flush=True)
    finally:
        await stop(probe)
    return figures


async def _typing_session(command: list[str], broken: bool):  # type: ignore[no-untyped-def]
    root = Path(tempfile.mkdtemp(prefix="nilmap-stress-"))
    (root / "go.mod").write_text("module example.com/stress\n\ngo 1.22\n")
    text, _ = big_file()
    if broken:
        text = with_raw_string(text, "func helper100(")
    lines = text.split("\n")
    line = next(i for i, l in enumerate(lines) if l.startswith("func helper300(")) + 1
    lines.insert(line, "\t_ = 0")
    probe = await start(command, root)
    editor = Editor(probe, root / "big.go", "\n".join(lines))
    await editor.published(1)
    return probe, editor, line


async def burst(command: list[str], broken: bool, rounds: int = 5) -> list[float]:
    probe, editor, line = await _typing_session(command, broken)
    settles = []
    try:
        for r in range(rounds):
            for k in range(200):
                version = editor.replace_line(line, f"\t_ = {r * 1000 + k}")
            sent = time.perf_counter()
            settles.append(await editor.published(version) - sent)
    finally:
        await stop(probe)
    return settles


async def keystroke(command: list[str], broken: bool, count: int = 100) -> list[float]:
    probe, editor, line = await _typing_session(command, broken)
    latencies = []
    try:
        for k in range(count):
            sent = time.perf_counter()
            version = editor.replace_line(line, f"\t_ = {k + 1}")
            latencies.append(await editor.published(version) - sent)
    finally:
        await stop(probe)
    return latencies


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=100_000, help="edits in the memory run (default 100,000)")
    parser.add_argument("--burst", type=int, default=10, help="edits between two waits for the publish in the memory run")
    parser.add_argument("--keystrokes", type=int, default=100)
    parser.add_argument("--only", default="memory,burst,keystroke")
    parser.add_argument("--server", default=f"{sys.executable} -m lsp_server --log-level warning", help="the server command")
    args = parser.parse_args()
    command = shlex.split(args.server)
    only = set(args.only.split(","))
    print(f"server: {' '.join(command)}; cwd {os.getcwd()}")
    if "memory" in only:
        for broken in (False, True):
            figures = await memory(command, args.edits, broken, args.burst)
            series = ", ".join(f"{n:,}: {mb:.0f}" for n, mb in figures)
            print(f"memory ({'raw string open' if broken else 'clean'}), RSS MB after N edits: {series}")
    if "burst" in only:
        for broken in (False, True):
            settles = await burst(command, broken)
            print(
                f"burst of 200 keystrokes, 5,000 lines ({'raw string open' if broken else 'clean'}): settle "
                f"median {statistics.median(settles) * 1000:.0f} ms, max {max(settles) * 1000:.0f} ms ({len(settles)} bursts)"
            )
    if "keystroke" in only:
        for broken in (False, True):
            latencies = await keystroke(command, broken, args.keystrokes)
            print(
                f"keystroke -> publish, 5,000 lines ({'raw string open' if broken else 'clean'}): "
                f"median {statistics.median(latencies) * 1000:.1f} ms, p95 {p95(latencies) * 1000:.1f} ms ({len(latencies)} keys)"
            )


if __name__ == "__main__":
    asyncio.run(main())
