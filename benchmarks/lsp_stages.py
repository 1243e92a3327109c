"""Where an edit's time goes in the language server's analysis thread, per shape.

Run: `python3 benchmarks/lsp_stages.py [--runs 40] [--shape many|long|table|struct ...] [--profile]`,
or `--directory DIR [--file F --line N]` for a real package (its largest non-test file, at the
last indented comment line of its middle half, as `lsp_workspace.py` types; read in its module,
edited in memory only).
Not a test. For each shape of `lsp_shapes.py`, in this process (no stdio, no event loop):
the package is written to a temporary directory and indexed as the server indexes it, the
open file is opened as a `Document`, and each run applies one edit (`Document.apply_changes`)
and times the analysis thread's stages on the new snapshot:

- parse: the incremental re-parse of the open documents (`AnalysisState.buffers`);
- index: bringing the package's index up to date (`PackageStore.view_for`);
- check: the checker run for the files not in the result cache (`run_job`);
- convert: the findings turned into LSP diagnostics (`AnalysisState.analyse` does it all).

After each check the heap is frozen (`gc.freeze`), as the server's collector does
(`lsp_server/collector.py`): without it a full collection falls inside about one check in ten,
60 to 80 ms on the findings shape, which the server never pays there.

Times are the thread's CPU time (`time.thread_time`; `--wall` for wall-clock time): on a
shared machine the wall clock measures the neighbours too. It prints p50/p95 per stage
and of their sum, the per-function cache's hits (and how many of them were stale: what the
function reaches changed, so it was analysed again) and misses, and how many function
results were served from the cache or computed, over the runs. `--profile` adds cProfile's top functions by cumulative time for each shape
(`--profile tottime`: by their own time).
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from lsp_shapes import SHAPES, Shape  # noqa: E402
from lsprotocol import types  # noqa: E402

from analyzers.rule import Settings  # noqa: E402
from lsp_server.analysis import NEVER, AnalysisState, DirectoryRequest  # noqa: E402
from lsp_server.documents import Document  # noqa: E402
from lsp_server.packages import index_directory  # noqa: E402

STAGES = ("parse", "index", "check+convert")


def _percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"p50 {statistics.median(ms):7.2f} ms  p95 {p95:7.2f} ms"


def _edit(document: Document, shape: Shape, version: int) -> None:
    at = types.Position(line=shape.line, character=shape.column(version))
    document.apply_changes([types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text="x")], version, "utf-16")


def real_package(directory: Path, file: str | None, line: int | None) -> Shape:
    """A package on disk as a shape: its files, and the comment line typed at (1-based `line`)."""
    files = {path.name: path.read_text() for path in sorted(directory.glob("*.go"))}
    open_file = file or max((n for n in files if not n.endswith("_test.go")), key=lambda n: len(files[n]))
    lines = files[open_file].split("\n")
    if line is None:
        middle = range(len(lines) // 4, 3 * len(lines) // 4)
        line = 1 + next(n for n in reversed(middle) if lines[n].startswith("\t") and lines[n].strip().startswith("//") and lines[n].isascii())
    return Shape(f"{directory.name} ({len(files)} files), {open_file}:{line}", files, open_file, line - 1, lines[line - 1])


def measure(shape: Shape, runs: int, profile: str | None, clock: Callable[[], float] = time.thread_time, in_place: Path | None = None) -> None:
    """With `in_place`, the package is that directory, read where it is (in its module); the
    edits are made in memory only."""
    root = in_place or Path(tempfile.mkdtemp(prefix="nilmap-stages-"))
    try:
        if in_place is None:
            for name, text in shape.files.items():
                (root / name).write_text(text)
        directory = str(root)
        state = AnalysisState()
        state.install(directory, index_directory(directory), {directory})
        documents = [
            Document(str(root / name), str(root / name), "go", 1, shape.files[name].encode()) for name in (shape.open_file, *shape.opened)
        ]
        edited = documents[0]

        def request() -> DirectoryRequest:
            return DirectoryRequest(tuple(d.snapshot() for d in documents), frozenset(), Settings(), "utf-16", 0, 0, 0)

        state.analyse(request(), NEVER)  # the open: everything computed once
        gc.freeze()  # (after each check, as the server's collector does)
        hits, misses, stale = state.functions.hits, state.functions.misses, state.functions.stale
        results = state.functions.summary_hits, state.functions.summary_misses
        times: dict[str, list[float]] = {stage: [] for stage in (*STAGES, "total")}
        profiler = cProfile.Profile() if profile else None
        for version in range(2, runs + 2):
            _edit(edited, shape, version)
            req = request()
            if profiler is not None:
                profiler.enable()
            t0 = clock()
            buffers = state.buffers(req.snapshots)
            t1 = clock()
            state.packages.view_for(edited.path, buffers)
            t2 = clock()
            state.analyse(req, NEVER)  # parse and index are cache hits now
            t3 = clock()
            if profiler is not None:
                profiler.disable()
            gc.freeze()
            for stage, spent in zip((*STAGES, "total"), (t1 - t0, t2 - t1, t3 - t2, t3 - t0), strict=True):
                times[stage].append(spent)
        print(f"{shape.name}:")
        for stage, samples in times.items():
            print(f"  {stage:14s} {_percentiles(samples)}")
        print(
            f"  function cache over {runs} edits: {state.functions.hits - hits} hits ({state.functions.stale - stale} of them stale,"
            f" analysed again), {state.functions.misses - misses} misses; function results kept:"
            f" {state.functions.summary_hits - results[0]} served, {state.functions.summary_misses - results[1]} computed"
        )
        if profiler is not None:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(profile).print_stats(35)
            print(out.getvalue())
    finally:
        gc.unfreeze()  # (the next shape starts from a heap of its own)
        if in_place is None:
            shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="default: every shape")
    parser.add_argument("--profile", nargs="?", const="cumulative", choices=("cumulative", "tottime"), help="print cProfile's top functions, by this order")
    parser.add_argument("--wall", action="store_true", help="wall-clock time instead of CPU time")
    parser.add_argument("--directory", type=Path, help="a real package directory instead of the shapes (read in place, edited in memory)")
    parser.add_argument("--file", help="with --directory: the file typed in (default: its largest non-test file)")
    parser.add_argument("--line", type=int, help="with --directory: the 1-based comment line typed at the end of")
    args = parser.parse_args()
    os.chdir(HERE.parent)
    if args.directory is not None:
        shape = real_package(args.directory.resolve(), args.file, args.line)
        measure(shape, args.runs, args.profile, time.perf_counter if args.wall else time.thread_time, args.directory.resolve())
        return
    for name in args.shape or list(SHAPES):
        measure(SHAPES[name](), args.runs, args.profile, time.perf_counter if args.wall else time.thread_time)


if __name__ == "__main__":
    main()
