"""The language server and the command line on a monorepo-sized workspace (15,000 Go files).

Not a test: it prints figures and asserts nothing. The workspace is built when the script
runs, from the corpus trees already on the machine (`~/.cache/nilmap-corpus/<owner>+<repo>/
<commit>/`, see `corpus/`), hard-linked side by side under one temporary folder, each
keeping its own `go.mod` (and `vendor/`, which nilmap skips; gopls loads the module of the
open file): nothing is downloaded or stored. Then, for nilmap-lsp and gopls (v0.23.0 with staticcheck on, the pinned peer) on the
same folder, in one run:

- the time from `initialized` to the end of the server's indexing progress, and to the
  first publish of the open file;
- the server's RSS (its process and descendants, sampled every 0.25 s): peak, at the end
  of indexing, and after the edits;
- edit to diagnostics (`--runs` edits while indexing runs, at most, and as many after it):
  one character typed at a time at the end of a comment line in the
  largest file of the largest package of the first tree, the time from didChange to the
  publish of that version (p50/p95), while indexing runs and after it, and after it the
  server's CPU time over the same span (user+sys of the process, from /proc: a shared
  machine inflates the wall clock). Edits go one at a time with a pause between (a typist,
  not a storm); gopls's own first publish of each version is its edit-to-diagnostics (as
  `lsp_latency.py` measures it).

`--cli` then runs `nilmap check` on the same tree: cold, filling its result cache, then
warm, all cores (`--no-cache`, `--one-job`: also cold without the cache, with all cores,
with one), against the bare tree-sitter parse of the same files (the pieces of `cli_throughput.py`): wall, user+sys CPU and peak
RSS of the process tree.

    python3 benchmarks/lsp_workspace.py                        # both servers, then stop
    python3 benchmarks/lsp_workspace.py --skip-gopls --cli     # nilmap's server, then the CLI
    python3 benchmarks/lsp_workspace.py --only-cli --trees grafana+loki
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from cli_throughput import _children_map, _rss_kb, measure_nilmap, measure_parse, nilmap_files  # noqa: E402
from lsp_latency import NILMAP, Probe, start, stop, summary, wait_publish  # noqa: E402

from analyzers.loader import expand  # noqa: E402

CORPUS = Path(os.environ.get("NILMAP_CORPUS", Path.home() / ".cache" / "nilmap-corpus"))
PEERS_BIN = Path(os.environ.get("NILMAP_PEERS_BIN", Path.home() / ".cache" / "nilmap-peers" / "bin"))
# The first is the one edited (gopls loads its module); together about 15,900 files that
# nilmap reads.
DEFAULT_TREES = ("grafana+loki", "dapr+dapr", "temporalio+temporal", "pulumi+pulumi", "kumahq+kuma", "tailscale+tailscale")
# The corpus trees' `vendor/` folders have no `modules.txt`, so the go command cannot use them:
# gopls loads the module with what the module cache holds, offline, and type-checks the
# rest with import errors (less work than a complete build would give it).
GOPLS_ENV = {"GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOWORK": "off"}


# -- the workspace ----------------------------------------------------------------------------
def tree_source(name: str) -> Path:
    commits = sorted(p for p in (CORPUS / name).iterdir() if p.is_dir())
    if not commits:
        raise SystemExit(f"{CORPUS / name}: no checkout")
    return commits[0]


def tree_folder(dest: Path, name: str) -> Path:
    """Where a tree goes: `owner_repo`, since a `+` in a path is escaped in its URI and
    servers differ in how they spell it back."""
    return dest / name.replace("+", "_")


def build_workspace(dest: Path, trees: list[str]) -> None:
    """Hard-link each tree under `dest/<owner>_<repo>` (a copy where links fail)."""
    for name in trees:
        source = tree_source(name)
        done = subprocess.run(["cp", "-al", str(source), str(tree_folder(dest, name))], capture_output=True, check=False)
        if done.returncode != 0:
            shutil.copytree(source, tree_folder(dest, name), symlinks=True, dirs_exist_ok=True)


@dataclass(frozen=True)
class EditSite:
    path: Path
    line: int  # 0-based, a comment line of ASCII text
    column: int  # its end
    package_files: int


def edit_site(tree: Path) -> EditSite:
    """The largest non-test file of the directory with most files nilmap reads, and the
    last indented comment line in its middle half (inside a function, most likely)."""
    jobs = list(expand([str(tree) + "/..."]).jobs)
    job = max(jobs, key=lambda j: len(j.files))
    candidates = [f for f in job.files if not f.endswith("_test.go")] or list(job.files)
    path = Path(max(candidates, key=os.path.getsize))
    lines = path.read_text().split("\n")
    middle = range(len(lines) // 4, 3 * len(lines) // 4)
    for number in reversed(middle):
        text = lines[number]
        if text.startswith("\t") and text.strip().startswith("//") and text.isascii():
            return EditSite(path, number, len(text), len(job.files))
    raise SystemExit(f"{path}: no comment line to type in")


# -- one server ---------------------------------------------------------------------------------
def tree_rss_mb(pid: int) -> float:
    children = _children_map()
    todo, total = [pid], 0
    while todo:
        current = todo.pop()
        total += _rss_kb(current)
        todo.extend(children.get(current, ()))
    return total / 1024


def process_cpu(pid: int) -> float:
    """user+sys seconds of the process, its ended threads included (`/proc/PID/stat`)."""
    stat = Path(f"/proc/{pid}/stat").read_bytes()
    fields = stat[stat.rfind(b")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class ServerRun:
    name: str
    indexed_s: float | None = None  # initialized -> end of the indexing progress
    first_publish_s: float | None = None
    cpu_at_index_s: float | None = None
    during: list[float] = field(default_factory=list)
    after: list[float] = field(default_factory=list)
    after_cpu: list[float] = field(default_factory=list)  # the server's CPU time over each edit after indexing
    rss: list[tuple[float, float]] = field(default_factory=list)  # (seconds since initialized, MB)
    rss_at_index_mb: float | None = None


async def sample_rss(pid: int, started: float, run: ServerRun, halt: asyncio.Event) -> None:
    while not halt.is_set():
        run.rss.append((time.perf_counter() - started, tree_rss_mb(pid)))
        try:
            await asyncio.wait_for(halt.wait(), 0.25)
        except TimeoutError:
            pass


async def type_one(probe: Probe, uri: str, site: EditSite, version: int) -> float:
    since = len(probe.published.get(uri, []))
    at = types.Position(line=site.line, character=site.column + version - 2)
    sent = time.perf_counter()
    probe.client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text="x")],
        )
    )
    got = await wait_publish(probe, uri, lambda v, ds, version=version: v == version, since, timeout=900)
    return got - sent


async def measure_server(
    name: str,
    command: list[str],
    options: object,
    env: dict[str, str],
    root: Path,
    site: EditSite,
    runs: int,
    pause: float,
    timeout: float,
    settle: float,
) -> ServerRun:
    run = ServerRun(name)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        probe = await start(command, root, options)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    started = time.perf_counter()
    pid = probe.client._server.pid  # type: ignore[attr-defined]
    halt = asyncio.Event()
    sampler = asyncio.ensure_future(sample_rss(pid, started, run, halt))

    def indexed() -> None:
        if run.indexed_s is None:
            run.indexed_s = time.perf_counter() - started
            run.cpu_at_index_s = process_cpu(pid)
            run.rss_at_index_mb = tree_rss_mb(pid)

    watcher = asyncio.ensure_future(probe.progress_ended.wait())
    watcher.add_done_callback(lambda _: indexed())
    try:
        uri = site.path.as_uri()
        text = site.path.read_text()
        probe.client.text_document_did_open(
            types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="go", version=1, text=text))
        )
        await wait_publish(probe, uri, lambda v, ds: True, 0, timeout=timeout)
        run.first_publish_s = time.perf_counter() - started
        print(f"  {name}: first publish of the open file at {run.first_publish_s:.1f} s", flush=True)
        version = 2
        while run.indexed_s is None and len(run.during) < runs and time.perf_counter() - started < timeout:
            latency = await type_one(probe, uri, site, version)
            version += 1
            if run.indexed_s is None:  # the whole span fell inside the indexing
                run.during.append(latency)
            await asyncio.sleep(pause)
        try:  # gopls reports no progress for a load it starts on an open
            await asyncio.wait_for(asyncio.shield(watcher), max(1.0, min(settle, timeout - (time.perf_counter() - started))))
        except TimeoutError:
            print(f"{name}: no end of indexing reported after {time.perf_counter() - started:.0f} s", flush=True)
        await asyncio.sleep(2)  # let the last of the indexing settle
        for _ in range(runs):
            used = process_cpu(pid)
            run.after.append(await type_one(probe, uri, site, version))
            run.after_cpu.append(process_cpu(pid) - used)
            version += 1
            await asyncio.sleep(pause)
        run.rss.append((time.perf_counter() - started, tree_rss_mb(pid)))
        return run
    finally:
        halt.set()
        await sampler
        watcher.cancel()
        await stop(probe)


def report_server(run: ServerRun) -> None:
    peak = max((mb for _, mb in run.rss), default=float("nan"))
    print(f"{run.name}:", flush=True)
    if run.indexed_s is not None:
        print(f"  initialized -> indexing ended  {run.indexed_s:7.1f} s  (server CPU {run.cpu_at_index_s:.1f} s)")
    print(f"  initialized -> first publish of the open file  {run.first_publish_s or float('nan'):7.1f} s")
    print(f"  RSS peak {peak:7.0f} MB  at end of indexing {run.rss_at_index_mb or float('nan'):7.0f} MB  after the edits {run.rss[-1][1]:7.0f} MB")
    timeline = [f"{t:.0f}s:{mb:.0f}" for t, mb in run.rss[:: max(1, len(run.rss) // 12)]]
    print(f"  RSS over time (MB): {' '.join(timeline)}")
    if run.during:
        print(f"  edit -> diagnostics while indexing: {summary(run.during)}")
    if run.after:
        print(f"  edit -> diagnostics after indexing: {summary(run.after)}")
        print(f"  the server's CPU time over each:    {summary(run.after_cpu)}", flush=True)


# -- the command line ----------------------------------------------------------------------------
def measure_cli(root: Path, no_cache: bool, one_job: bool) -> None:
    paths = [str(root) + "/..."]
    files = nilmap_files(paths)
    parse = measure_parse(files)
    print(f"bare parse, in-process: {len(files)} files, {parse.extra['bytes'] / 1e6:.0f} MB: wall {parse.wall_s:.1f} s, CPU {parse.cpu_s:.1f} s", flush=True)
    runs: list[tuple[str, int | None, bool]] = [
        *([("nilmap check --no-cache (all cores)", None, False)] if no_cache else []),
        *([("nilmap check --no-cache -j 1", 1, False)] if one_job else []),
        ("nilmap check cold, filling its result cache (all cores)", None, True),
        ("nilmap check warm, from its result cache (all cores)", None, True),
    ]
    cache = tempfile.mkdtemp(prefix="nilmap-bench-cache-")
    try:
        for name, jobs, cached in runs:
            m = measure_nilmap(name, paths, jobs, cache if cached else None)
            print(
                f"{m.name:56s} wall {m.wall_s:7.1f} s  CPU {m.cpu_s:7.1f} s  max RSS {m.max_rss_mb:5.0f} MB  tree RSS {m.tree_rss_mb or 0:5.0f} MB  "
                f"findings {m.findings}  wall/parse wall {m.wall_s / parse.wall_s:.2f}x  CPU/parse CPU {m.cpu_s / parse.cpu_s:.2f}x {m.note}",
                flush=True,
            )
    finally:
        shutil.rmtree(cache, ignore_errors=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trees", nargs="+", default=list(DEFAULT_TREES), help="corpus trees, the edited one first")
    parser.add_argument("--runs", type=int, default=30, help="edits after indexing")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between edits")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for the first publish, and for indexing")
    parser.add_argument("--settle", type=float, default=60, help="seconds to wait for the end of indexing after the edits made during it")
    parser.add_argument("--skip-gopls", action="store_true")
    parser.add_argument("--skip-nilmap", action="store_true")
    parser.add_argument("--cli", action="store_true", help="also `nilmap check` on the tree")
    parser.add_argument("--only-cli", action="store_true")
    parser.add_argument("--no-cache", action="store_true", help="also `nilmap check --no-cache`, cold")
    parser.add_argument("--one-job", action="store_true", help="also `nilmap check --no-cache -j 1`, cold")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="nilmap-bench-mono-"))
    try:
        build_workspace(root, args.trees)
        read = sum(len(job.files) for job in expand([str(root) + "/..."]).jobs)
        total = sum(1 for _ in root.rglob("*.go"))
        site = edit_site(tree_folder(root, args.trees[0]))
        print(
            f"workspace {root}: {', '.join(args.trees)}; {total} .go files, {read} read by nilmap; "
            f"edited: {site.path.relative_to(root)}:{site.line + 1} ({site.package_files} files in its directory)",
            flush=True,
        )
        if not args.only_cli:
            os.chdir(HERE.parent)
            if not args.skip_nilmap:
                report_server(await measure_server("nilmap-lsp", NILMAP, None, {}, root, site, args.runs, args.pause, args.timeout, args.settle))
            gopls = PEERS_BIN / "gopls"
            if not args.skip_gopls and gopls.is_file():
                version = subprocess.run([str(gopls), "version"], capture_output=True, text=True, check=False).stdout.split("\n")[0]
                print(f"gopls: {version.strip()}", flush=True)
                run = await measure_server(
                    "gopls+staticcheck", [str(gopls)], {"staticcheck": True}, GOPLS_ENV, root, site, args.runs, args.pause, args.timeout, args.settle
                )
                report_server(run)
        if args.cli or args.only_cli:
            measure_cli(root, args.no_cache, args.one_job)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
