#!/usr/bin/env python3
"""The real-bug development set, run through the peers wherever the buggy commit builds.

For each case of `real_bugs.tsv` (kept with its scorer outside this repository, in
`shared/eval/`; the repositories are bare git snapshots under the mirror folder, as for
`real_bugs.py`), the whole repository is extracted at the buggy commit. When the module
around the buggy package builds with its dependencies from the module proxy
(`go mod download`, then `go build ./PKG`, each with a time limit; a module that vendors
its dependencies builds with `-mod=vendor`), every tool runs on that package:

  nilmap        `nilmap check --format json PKGDIR`, with the default rules and with every
                rule (`--select NM`)
  staticcheck   `staticcheck -checks SA5000,SA5011 -f json ./PKG`
  nilaway       `nilaway -json ./PKG`, and again with `-experimental-struct-init`
  gopls         `gopls check PKG/*.go` (nilness; "nil dereference ..." findings only)

A case is found by a tool with a finding on a cited line of the buggy file; a found case is
cleared when, at the fixed commit, no finding of that tool remains on a line with the text
of a cited line (the scorer's rule). Other findings in the package are counted. A case that
does not build says why (no go.mod: the old GOPATH layout; the download or the build failed,
with go's last line). Prints tables; asserts nothing.

    .venv/bin/python benchmarks/peers_real_bugs.py [--only NM03,NM07] [--json out.json]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "corpus"))

import peer_tools as pt  # noqa: E402
from real_bugs import find_scorer  # noqa: E402
from snapshots import default_mirror, git_dir  # noqa: E402

TOOLS = ("nilmap", "nilmap (every rule)", "staticcheck", "nilaway", "nilaway +struct-init", "gopls")
GOPATH = Path(os.environ.get("NILMAP_PEERS_GOPATH", Path.home() / ".cache" / "nilmap-peers" / "gopath"))


@dataclass
class CaseRun:
    id: str
    repo: str
    pattern: str
    build: str = ""  # "ok", or why not
    found: dict[str, bool] = field(default_factory=dict)
    cleared: dict[str, bool | None] = field(default_factory=dict)
    other: dict[str, int] = field(default_factory=dict)
    hits: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0


def extract(gd: Path, commit: str, dest: Path) -> bool:
    """The whole tree at `commit`, as a checkout; False when the commit is not in the snapshot.

    Blob by blob (`ls-tree`, then `cat-file --batch`), not `git archive`, which gives up on
    the first blob a snapshot lacks (files of 4 MiB or more): those are skipped, and so are
    symbolic links."""
    git = ["git", "--git-dir", str(gd)]
    listing = subprocess.run([*git, "ls-tree", "-r", "-z", commit], capture_output=True, check=False)
    if listing.returncode != 0:
        return False
    wanted = []
    for item in listing.stdout.split(b"\0"):
        if not item:
            continue
        meta, name = item.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode != b"120000":
            wanted.append((sha.decode(), name.decode("utf-8", "replace"), mode == b"100755"))
    dest.mkdir(parents=True, exist_ok=True)
    batch = subprocess.Popen([*git, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert batch.stdin is not None and batch.stdout is not None
    feeder = threading.Thread(target=_feed, args=(batch.stdin, [sha for sha, _, _ in wanted]), daemon=True)
    feeder.start()
    for _sha, name, executable in wanted:
        header = batch.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)  # the newline after the object
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if executable:
            target.chmod(0o755)
    feeder.join()
    batch.wait()
    return True


def _feed(stdin: IO[bytes], shas: list[str]) -> None:
    for sha in shas:
        stdin.write(f"{sha}\n".encode())
    stdin.close()


def module_root(tree: Path, pkgdir: str) -> Path | None:
    folder = tree / pkgdir
    while True:
        if (folder / "go.mod").is_file():
            return folder
        if folder == tree:
            return None
        folder = folder.parent


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def build(module: Path, package: str, timeout: float) -> tuple[str, dict[str, str]]:
    """("ok", env) when `go build ./PKG` succeeds, else (why, env)."""
    vendored = (module / "vendor" / "modules.txt").is_file()
    env = pt.go_env({
        "GOPROXY": os.environ.get("GOPROXY", "https://proxy.golang.org,direct"),
        "GOSUMDB": "off",  # old go.sum files miss entries -mod=mod adds; nothing is run
        "GOFLAGS": "-mod=vendor" if vendored else "-mod=mod",
        "GOPATH": str(GOPATH),
        "GOCACHE": str(GOPATH.parent / "gocache"),
        "GOTOOLCHAIN": "local",
    })
    if not vendored:
        code, out, err = pt.run(["go", "mod", "download"], module, env, timeout)
        if code != 0:
            return f"go mod download: {last_line(err) or f'exit {code}'}", env
    code, out, err = pt.run(["go", "build", "-o", os.devnull, package], module, env, timeout)
    if code != 0:
        return f"go build: {last_line(err) or f'exit {code}'}", env
    env["GOPROXY"] = "off"
    return "ok", env


def tool_findings(name: str, module: Path, package: str, pkg_abs: Path, env: dict[str, str], timeout: float) -> tuple[list[pt.Finding], str]:
    if name.startswith("nilmap"):
        rules = ["--select", "NM"] if name == "nilmap (every rule)" else []
        code, out, err = pt.run(pt.nilmap_argv([str(pkg_abs), *rules]), module, env, timeout)
        return (pt.parse_nilmap(out, module) if code in (0, 1) else []), ("" if code in (0, 1) else last_line(err))
    if name == "staticcheck":
        code, out, err = pt.run(pt.staticcheck_argv([package]), module, env, timeout)
        findings, problems = pt.parse_staticcheck(out)
        return findings, (problems[0][:160] if problems else ("" if code in (0, 1) else last_line(err)))
    if name.startswith("nilaway"):
        code, out, err = pt.run(pt.nilaway_argv([package], pt.NILAWAY_MODES[name], str(module)), module, env, timeout)
        findings, problems = pt.parse_nilaway(out, name)
        if code not in (0, 1, 3):
            problems.append("out of memory at the cap" if "out of memory" in err else ("timed out" if code == 124 else last_line(err)))
        return findings, (problems[0][:160] if problems else "")
    files = sorted(str(p) for p in pkg_abs.glob("*.go") if not p.name.endswith("_test.go"))
    code, out, err = pt.run([pt.tool("gopls"), "check", "-severity=hint", *files], module, env, timeout)
    return [f for f in pt.parse_gopls_check(out) if pt.claims_nil_panic(f)], ("" if code == 0 else last_line(err))


def cited_lines(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", text.split("(")[0])]


def run_case(row: dict[str, str], mirror: Path, tools: list[str], timeout: float) -> CaseRun:
    case = CaseRun(row["id"], row["repo"], row["pattern"])
    start = time.perf_counter()
    gd = git_dir(mirror, row["fetch_source_for_bare_git"])
    path = row["buggy_file_path"].split(" ")[0]
    lines = cited_lines(row["offending_write_line_in_buggy_commit"])
    if gd is None:
        case.build = "no snapshot here"
        return case
    pkgdir = os.path.dirname(path)
    with tempfile.TemporaryDirectory(prefix="nilmap-peers-bug-") as scratch:
        buggy, fixed = Path(scratch) / "buggy", Path(scratch) / "fixed"
        if not extract(gd, row["buggy_commit_prefix_parent"], buggy):
            case.build = "buggy commit not in the snapshot"
            return case
        module = module_root(buggy, pkgdir)
        if module is None:
            case.build = "no go.mod (GOPATH layout)"
            return case
        package = "./" + os.path.relpath(buggy / pkgdir, module)
        case.build, env = build(module, package, timeout)
        if case.build != "ok":
            case.seconds = time.perf_counter() - start
            return case
        target = str((buggy / path).resolve())
        cited_text = {(buggy / path).read_text(errors="replace").splitlines()[n - 1].strip() for n in lines if n >= 1}
        fixed_ready = None
        for name in tools:
            findings, problem = tool_findings(name, module, package, buggy / pkgdir, env, timeout)
            hits = [f for f in findings if str(Path(f.path).resolve()) == target and f.line in lines]
            case.found[name] = bool(hits)
            case.other[name] = len(findings) - len(hits)
            case.hits[name] = [f"{f.line}: {f.code} {pt.short_message(f, 100)}" for f in hits] + ([f"(problem: {problem})"] if problem else [])
            if not hits:
                continue
            if fixed_ready is None:
                fixed_ready = extract(gd, row["fixed_commit_if_known"], fixed) and (module_root(fixed, pkgdir) is not None)
                if fixed_ready:
                    fixed_module = module_root(fixed, pkgdir)
                    fixed_ready = build(fixed_module, "./" + os.path.relpath(fixed / pkgdir, fixed_module), timeout)[0] == "ok"
            if not fixed_ready:
                case.cleared[name] = None
                continue
            fixed_module = module_root(fixed, pkgdir)
            after, _ = tool_findings(name, fixed_module, "./" + os.path.relpath(fixed / pkgdir, fixed_module), fixed / pkgdir, env, timeout)
            fixed_file = fixed / path
            texts = fixed_file.read_text(errors="replace").splitlines() if fixed_file.exists() else []
            remaining = [f for f in after if Path(f.path).resolve() == fixed_file.resolve() and 0 < f.line <= len(texts) and texts[f.line - 1].strip() in cited_text]
            case.cleared[name] = not remaining
    case.seconds = time.perf_counter() - start
    return case


def print_tables(cases: list[CaseRun], tools: list[str]) -> None:
    built = [c for c in cases if c.build == "ok"]
    print(f"{len(built)} of {len(cases)} cases build; on those, found at the cited line (cleared at the fixed commit), other findings in the package\n")
    print("| case | pattern | " + " | ".join(tools) + " |")
    print("|---|---|" + "---|" * len(tools))
    for c in built:
        cells = []
        for name in tools:
            if name not in c.found:
                cells.append("–")
                continue
            problem = next((h[len("(problem: "):-1] for h in c.hits.get(name, []) if h.startswith("(problem")), "")
            if problem and not c.found[name]:  # the tool did not finish: no verdict
                cells.append(f"did not run: {problem}")
                continue
            mark = "**found**" if c.found[name] else "missed"
            if c.found[name]:
                cleared = c.cleared.get(name)
                mark += " (cleared)" if cleared else (" (fix not built)" if cleared is None else " (NOT cleared)")
            cells.append(f"{mark}, {c.other[name]} other")
        print(f"| {c.id} {c.repo} | {c.pattern} | " + " | ".join(cells) + " |")
    totals = {name: sum(c.found.get(name, False) for c in built) for name in tools}
    print("| found | | " + " | ".join(f"{totals[n]}/{len(built)}" for n in tools) + " |")
    print("\nNot built:\n")
    for c in cases:
        if c.build != "ok":
            print(f"- {c.id} {c.repo}: {c.build}")
    problems = [(c.id, n, h) for c in built for n in tools for h in c.hits.get(n, []) if h.startswith("(problem")]
    if problems:
        print("\nTool problems:\n")
        for cid, name, text in problems:
            print(f"- {cid} {name}: {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scorer", help="real_score.py; real_bugs.tsv is read beside it")
    parser.add_argument("--only", help="comma-separated case ids")
    parser.add_argument("--timeout", type=float, default=600, help="seconds for each download, build and tool run")
    parser.add_argument("--tool", action="append", choices=TOOLS, help="default: all")
    parser.add_argument("--json", help="also write the per-case results here")
    args = parser.parse_args(argv)
    scorer = find_scorer(args.scorer)
    if scorer is None:
        raise SystemExit("real_score.py not found: pass --scorer")
    rows = list(csv.DictReader(open(scorer.parent / "real_bugs.tsv"), delimiter="\t"))
    if args.only:
        rows = [r for r in rows if r["id"] in set(args.only.split(","))]
    tools = args.tool or list(TOOLS)
    mirror = default_mirror(scorer)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; " + "; ".join(f"{k} {v}" for k, v in pt.versions().items()))
    cases = []
    for row in rows:
        case = run_case(row, mirror, tools, args.timeout)
        print(f"  {case.id}: {case.build} ({case.seconds:.0f} s) " + " ".join(f"{n}={'Y' if f else '-'}" for n, f in case.found.items()), file=sys.stderr, flush=True)
        cases.append(case)
        if args.json:  # after each case, so a run stopped early keeps what it measured
            Path(args.json).write_text(json.dumps([asdict(c) for c in cases], indent=1))
    print()
    print_tables(cases, tools)
    return 0


if __name__ == "__main__":
    sys.exit(main())
