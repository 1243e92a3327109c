"""Language server latency and memory: nilmap-lsp against gopls (staticcheck on).

Run: `python3 benchmarks/lsp_latency.py [--runs 20] [--gopls PATH] [--skip-gopls] [--skip-stdlib]
[--shapes-only] [--shape many|long|table|struct ...]`.
gopls is `--gopls`, else the pinned one in `$NILMAP_PEERS_BIN` (see `peer_tools.py`) when
it is installed, else `gopls` on PATH.
Not a test. First, nilmap alone on the shapes of `lsp_shapes.py` (generated here, never
stored): a 5,000-line file of about 560 small map-writing functions, one 3,000-line
function, a generated file with a 20,000-line table literal, and a struct type edited in a
200-file package. For each, one character is typed at a time (every version's text is new)
and the time from didChange to the publish of that version is printed as p50/p95, with
the CPU time the server used meanwhile (on a busy machine the wall clock counts the
neighbours' work too). Then
three measurements against gopls, each printed as one line of figures:

1. didChange -> publishDiagnostics on a 5,000-line Go file, toggling a nil-map write in
   and out (`var m map[string]int` vs `m := map[string]int{}`) at the end of the file. We
   wait for the publish of that version whose findings say the expected thing (gopls
   publishes twice, type check then analyzers; SA5000 comes with the second), and report
   "bug typed in" and "bug fixed" apart: gopls's first publish already clears a finding.
2. didChange -> publishDiagnostics for a struct edit in a 50-file package: a map field of
   a struct used by every file is renamed and back, which turns a `len(r.Items)` in the
   edited file into a type error and back; we wait for the edited file's publish of that
   version.
3. RSS of the server after it indexed the Go standard library as its workspace
   (`$(go env GOROOT)/src`), read from /proc when the indexing progress ends.

gopls gets `initializationOptions: {"staticcheck": true}` and a client that answers
`workspace/configuration`, `window/workDoneProgress/create` and `client/registerCapability`
(TOOLCHAIN.md §1, §7). Runs with `GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod`.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_shapes import SHAPES, Shape, registry_package

REPO = Path(__file__).resolve().parent.parent


def _goroot_src() -> Path:
    found = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=False).stdout.strip()
    return Path(found or "/usr/lib/go-1.19") / "src"


GOROOT_SRC = _goroot_src()
NILMAP = os.environ.get("NILMAP_LSP_COMMAND", "").split() or [sys.executable, "-m", "lsp_server", "--log-level", "warning"]
GO_ENV = {"GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod", "GO111MODULE": "on"}


@dataclass
class Probe:
    """A client that records when diagnostics and progress arrive."""

    client: LanguageClient
    published: dict[str, list[tuple[float, int | None, list[types.Diagnostic]]]] = field(default_factory=dict)
    progress_ended: asyncio.Event = field(default_factory=asyncio.Event)
    changed: asyncio.Event = field(default_factory=asyncio.Event)


def make_probe() -> Probe:
    client = LanguageClient("nilmap-bench", "1")
    probe = Probe(client)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        probe.published.setdefault(params.uri, []).append((time.perf_counter(), params.version, list(params.diagnostics)))
        probe.changed.set()

    @client.feature(types.WORKSPACE_CONFIGURATION)
    def configuration(params: types.ConfigurationParams) -> list[Any]:
        return [None for _ in params.items]

    @client.feature(types.WINDOW_WORK_DONE_PROGRESS_CREATE)
    def create(params: types.WorkDoneProgressCreateParams) -> None:
        return None

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None

    @client.feature(types.PROGRESS)
    def progress(params: types.ProgressParams) -> None:
        if getattr(params.value, "kind", None) == "end" or (isinstance(params.value, dict) and params.value.get("kind") == "end"):
            probe.progress_ended.set()

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def log_message(params: types.LogMessageParams) -> None:
        return None

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def show_message(params: types.ShowMessageParams) -> None:
        return None

    return probe


CAPABILITIES = types.ClientCapabilities(
    workspace=types.WorkspaceClientCapabilities(configuration=True, workspace_folders=True),
    window=types.WindowClientCapabilities(work_done_progress=True),
    text_document=types.TextDocumentClientCapabilities(
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True, related_information=True)
    ),
)


async def start(command: list[str], root: Path, options: Any = None) -> Probe:
    probe = make_probe()
    env = {**os.environ, **GO_ENV}
    await probe.client.start_io(command[0], *command[1:], cwd=str(root), env=env)
    server = probe.client._server  # type: ignore[attr-defined]
    if server is not None and server.stderr is not None:  # drain stderr so the server never blocks on it
        asyncio.ensure_future(_drain(server.stderr))
    await probe.client.initialize_async(
        types.InitializeParams(
            process_id=os.getpid(),
            capabilities=CAPABILITIES,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=options,
        )
    )
    probe.client.initialized(types.InitializedParams())
    return probe


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.read(65536):
        pass


async def stop(probe: Probe) -> None:
    try:
        await asyncio.wait_for(probe.client.shutdown_async(None), 30)
        probe.client.exit(None)
    except Exception:
        pass
    await probe.client.stop()


async def wait_publish(probe: Probe, uri: str, accept: Callable[[int | None, list[types.Diagnostic]], bool], since: int, timeout: float = 60) -> float:
    """The arrival time of the first publish for `uri` after index `since` that `accept`s."""
    deadline = time.perf_counter() + timeout
    while True:
        for stamp, version, diagnostics in probe.published.get(uri, [])[since:]:
            if accept(version, diagnostics):
                return stamp
        probe.changed.clear()
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError(f"no matching publish for {uri}")
        await asyncio.wait_for(probe.changed.wait(), remaining)


def open_doc(probe: Probe, path: Path, text: str) -> str:
    uri = path.as_uri()
    probe.client.text_document_did_open(
        types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="go", version=1, text=text))
    )
    return uri


def change(probe: Probe, uri: str, version: int, line: int, old_len: int, new_text: str) -> None:
    rng = types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=old_len))
    probe.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=rng, text=new_text)],
        )
    )


# -- the shapes: typing one character at a time -------------------------------------------------
def cpu_seconds(pid: int) -> float:
    """The CPU time the process's live threads have used (`/proc/PID/task/*/schedstat`, in ns)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended meanwhile
    return total / 1e9


async def scenario_shape(shape: Shape, runs: int) -> tuple[list[float], list[float]]:
    """didChange -> publish of that version, for `runs` one-character insertions: the wall
    time, and the server's CPU time over the same span (which a busy machine inflates less)."""
    root = Path(tempfile.mkdtemp(prefix="nilmap-bench-shape-"))
    (root / "go.mod").write_text("module example.com/shape\n\ngo 1.19\n")
    for name, text in shape.files.items():
        (root / name).write_text(text)
    probe = await start(NILMAP, root, None)
    try:
        uri = open_doc(probe, root / shape.open_file, shape.files[shape.open_file])
        for name in shape.opened:
            open_doc(probe, root / name, shape.files[name])
        await wait_publish(probe, uri, lambda v, ds: True, 0, timeout=600)
        samples: list[float] = []
        cpu: list[float] = []
        pid = probe.client._server.pid  # type: ignore[attr-defined]
        for version in range(2, runs + 2):
            since = len(probe.published.get(uri, []))
            at = types.Position(line=shape.line, character=shape.column(version))
            used = cpu_seconds(pid)
            sent = time.perf_counter()
            probe.client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text="x")],
                )
            )
            got = await wait_publish(probe, uri, lambda v, ds, version=version: v == version, since, timeout=600)
            samples.append(got - sent)
            cpu.append(cpu_seconds(pid) - used)
        return samples, cpu
    finally:
        await stop(probe)
        shutil.rmtree(root, ignore_errors=True)


# -- scenario 1: a 5,000-line file ---------------------------------------------------------------
BUGGY_LINE = "\tvar m map[string]int"
FIXED_LINE = "\tm := map[string]int{}"


def big_file(lines: int = 5000) -> tuple[str, int]:
    out = ["package main", "", 'import "fmt"', ""]
    i = 0
    while len(out) < lines - 12:
        out += [
            f"func helper{i}(xs []string) map[string]int {{",
            "\tcounts := make(map[string]int)",
            "\tfor _, x := range xs {",
            "\t\tcounts[x]++",
            "\t}",
            f'\tif len(counts) > {i} {{ fmt.Println("many") }}',
            "\treturn counts",
            "}",
            "",
        ]
        i += 1
    target = len(out) + 1
    out += ["func main() {", FIXED_LINE, '\tm["k"] = 1', "\tfmt.Println(m)", "}", ""]
    return "\n".join(out), target


def is_nil_map_finding(d: types.Diagnostic, line: int) -> bool:
    return d.range.start.line in (line, line + 1) and ("nil map" in d.message)


async def scenario_big_file(command: list[str], options: Any, runs: int, gopls: bool) -> tuple[list[float], list[float]]:
    """Latencies of (the bug appearing, the bug going away)."""
    root = Path(tempfile.mkdtemp(prefix="nilmap-bench-big-"))
    (root / "go.mod").write_text("module example.com/big\n\ngo 1.19\n")
    text, line = big_file()
    (root / "main.go").write_text(text)
    probe = await start(command, root, options)
    try:
        uri = open_doc(probe, root / "main.go", text)
        await wait_publish(probe, uri, lambda v, ds: True, 0, timeout=120)
        if gopls:  # let the analyzers' second publish of the open settle
            await asyncio.sleep(1.5)
        appear: list[float] = []
        vanish: list[float] = []
        current = FIXED_LINE
        for n in range(runs):
            version = n + 2
            new = BUGGY_LINE if current == FIXED_LINE else FIXED_LINE
            want_bug = new == BUGGY_LINE
            since = len(probe.published.get(uri, []))
            sent = time.perf_counter()
            change(probe, uri, version, line, len(current), new)
            current = new
            got = await wait_publish(
                probe,
                uri,
                lambda v, ds, version=version, want_bug=want_bug: (v is None or v == version) and any(is_nil_map_finding(d, line) for d in ds) == want_bug,
                since,
            )
            (appear if want_bug else vanish).append(got - sent)
        return appear, vanish
    finally:
        await stop(probe)
        shutil.rmtree(root, ignore_errors=True)


# -- scenario 2: a struct edit in a 50-file package --------------------------------------------
def package_files(count: int = 50) -> dict[str, str]:
    return registry_package(count)


async def scenario_struct_edit(command: list[str], options: Any, runs: int, gopls: bool) -> list[float]:
    root = Path(tempfile.mkdtemp(prefix="nilmap-bench-pkg-"))
    (root / "go.mod").write_text("module example.com/registry\n\ngo 1.19\n")
    files = package_files()
    for name, text in files.items():
        (root / name).write_text(text)
    probe = await start(command, root, options)
    try:
        uri = open_doc(probe, root / "types.go", files["types.go"])
        open_doc(probe, root / "file000.go", files["file000.go"])
        await wait_publish(probe, uri, lambda v, ds: True, 0, timeout=120)
        if gopls:
            await asyncio.sleep(1.5)
        samples = []
        field_line = "\tItems map[string]int"
        renamed = "\tItemz map[string]int"
        current = field_line
        for n in range(runs):
            version = n + 2
            new = renamed if current == field_line else field_line
            since = len(probe.published.get(uri, []))
            sent = time.perf_counter()
            change(probe, uri, version, 4, len(current), new)
            current = new
            got = await wait_publish(probe, uri, lambda v, ds, version=version: v is None or v == version, since)
            samples.append(got - sent)
        return samples
    finally:
        await stop(probe)
        shutil.rmtree(root, ignore_errors=True)


# -- scenario 3: memory after indexing the standard library ------------------------------------
def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def scenario_stdlib_rss(command: list[str], options: Any, timeout: float) -> tuple[float, float]:
    started = time.perf_counter()
    probe = await start(command, GOROOT_SRC, options)
    try:
        # gopls reports no progress when it has nothing to load: also accept a quiet period.
        try:
            await asyncio.wait_for(probe.progress_ended.wait(), timeout)
        except TimeoutError:
            pass
        elapsed = time.perf_counter() - started
        return rss_mb(probe.client._server.pid), elapsed  # type: ignore[attr-defined]
    finally:
        await stop(probe)


def summary(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  min {ms[0]:6.1f}  max {ms[-1]:6.1f}  (n={len(ms)})"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-gopls", action="store_true")
    parser.add_argument("--gopls", help="the gopls binary (default: the pinned peer, else gopls on PATH)")
    parser.add_argument("--skip-stdlib", action="store_true")
    parser.add_argument("--shapes-only", action="store_true", help="only the shapes, no gopls comparison")
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="the shapes to run (default: all)")
    args = parser.parse_args()
    os.chdir(REPO)
    for name in args.shape or list(SHAPES):
        shape = SHAPES[name]()
        wall, cpu = await scenario_shape(shape, args.runs)
        print(f"{'nilmap':18s} {shape.name + ':':38s} {summary(wall)}", flush=True)
        print(f"{'':18s} {'  server CPU time:':38s} {summary(cpu)}", flush=True)
    if args.shapes_only:
        return
    servers: list[tuple[str, list[str], Any, bool]] = [("nilmap", NILMAP, None, False)]
    pinned = Path(os.environ.get("NILMAP_PEERS_BIN", Path.home() / ".cache" / "nilmap-peers" / "bin")) / "gopls"
    gopls = args.gopls or (str(pinned) if pinned.is_file() else shutil.which("gopls"))
    if not args.skip_gopls and gopls:
        version = subprocess.run([gopls, "version"], capture_output=True, text=True, check=False).stdout.split("\n")[0]
        go = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True, check=False).stdout.strip()
        print(f"gopls: {gopls} ({version.strip()}); go: {go}; GOROOT src: {GOROOT_SRC}", flush=True)
        servers.append(("gopls+staticcheck", [gopls], {"staticcheck": True}, True))
    for name, command, options, gopls in servers:
        appear, vanish = await scenario_big_file(command, options, args.runs, gopls)
        print(f"{name:18s} 5,000-line file, bug typed in:   {summary(appear)}", flush=True)
        print(f"{name:18s} 5,000-line file, bug fixed:      {summary(vanish)}", flush=True)
        print(f"{name:18s} struct edit, 50-file package: {summary(await scenario_struct_edit(command, options, args.runs, gopls))}", flush=True)
    if not args.skip_stdlib:
        for name, command, options, gopls in servers:
            rss, elapsed = await scenario_stdlib_rss(command, options, 600 if not gopls else 300)
            print(f"{name:18s} RSS after indexing {GOROOT_SRC}: {rss:7.0f} MB ({elapsed:.1f} s)", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
