#!/usr/bin/env python3
"""Detection on the rule fixtures: nilmap, staticcheck, nilaway and gopls side by side.

Every runnable fixture (`tests/fixtures/<rule>/<scenario>/`, `package main`; and
`tests/fixtures_pending/`, the forms nilmap misses) is copied as one package into a
temporary module, built and run: the Go runtime says which fixtures panic with
`assignment to entry in nil map` and at which lines (the frames of the panicking goroutine
inside the fixture's files). Fixtures with a go.mod of their own keep its local `replace`s
(stand-ins for modules the tests cannot download, such as k8s.io/api) and its Go version
(1.23, the tests', for the others); a module has one `replace` of a module path and one Go
version, so fixtures whose stand-ins of one module differ, or whose Go versions differ, are
put into separate scratch modules. Then each tool runs once over each scratch module:

  nilmap                   `python -m analyzers.cli check --format json ./...` (every rule,
                           `--select NM`, and the default rules)
  staticcheck              `staticcheck -checks SA5000,SA5011 -f json ./...`
  nilaway (three ways)     `nilaway -json ./...`, plus `-experimental-struct-init`, and
                           `-experimental-struct-init-v2`
  gopls                    `gopls check FILES` (its default analyzers, nilness among them;
                           only "nil dereference ..." findings count)

A positive fixture (it has `// want` lines and panics) is found by a tool with a finding on
a want line or on a line of the panic's stack (a peer may report inside the callee that
panics, where nilmap reports the call). A false alarm is a finding on a fixture that runs
clean, or on a positive fixture's line that is neither. The fixtures were written for
nilmap's rules, so this corpus shows what each tool covers of nilmap's scope, not a
neutral recall figure. Prints tables; asserts nothing.

    .venv/bin/python benchmarks/peers_fixtures.py [--json out.json] [--details]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import peer_tools as pt

from analyzers.source import SourceFile
from tests.wants import parse_wants

FIXTURE_ROOTS = {"": pt.REPO / "tests" / "fixtures", "pending/": pt.REPO / "tests" / "fixtures_pending"}
PANIC = "assignment to entry in nil map"
_FRAME = re.compile(r"^\s+(/\S+\.go):(\d+)")


@dataclass
class Scenario:
    group: str  # rule directory, "pending/<rule>" for tests/fixtures_pending
    name: str
    copy: Path  # the package's directory in the temporary module
    module: Path  # that temporary module's root
    want_lines: set[tuple[str, int]] = field(default_factory=set)
    panic_lines: set[tuple[str, int]] = field(default_factory=set)
    panicked: bool = False
    run_note: str = ""

    @property
    def positive(self) -> bool:
        return bool(self.want_lines)


def runnable(directory: Path) -> bool:
    files = [p for p in directory.glob("*.go") if not p.name.endswith("_test.go")]
    return bool(files) and any(SourceFile(str(p), p.read_bytes()).package_name == "main" for p in files)


def own_module(directory: Path, new_path: str) -> tuple[str, str] | None:
    """(the fixture's module path, its path in the scratch module) for a fixture with its own
    go.mod and packages below it; None for a single-package fixture."""
    go_mod = directory / "go.mod"
    if not go_mod.is_file():
        return None
    for line in go_mod.read_text().splitlines():
        if line.startswith("module "):
            return line.split()[1], new_path
    return None


_REPLACE_LINE = re.compile(r"^(?:replace\s+)?(\S+)(?:\s+\S+)?\s+=>\s+(\.\.?/\S+)\s*$")
_REQUIRE_LINE = re.compile(r"^(?:require\s+)?(\S+)\s+(v\S+)\s*(?://.*)?$")


def go_mod_directives(text: str, verb: str) -> list[str]:
    """The lines of a go.mod's `verb` directives, single (`replace a => b`) or in a block."""
    lines, block = [], False
    for raw in text.splitlines():
        line = raw.split("//", 1)[0].strip() if verb == "replace" else raw.strip()
        if block:
            if line == ")":
                block = False
            elif line:
                lines.append(line)
        elif line == f"{verb} (":
            block = True
        elif line.startswith(verb + " "):
            lines.append(line)
    return lines


def local_replacements(directory: Path) -> dict[str, tuple[str, str]]:
    """A fixture's own go.mod's `replace M => ./dir` (a stand-in for a module the tests cannot
    download): M, by its required version and the stand-in's folder inside the fixture."""
    go_mod = directory / "go.mod"
    if not go_mod.is_file():
        return {}
    text = go_mod.read_text()
    versions = dict(m.groups() for m in map(_REQUIRE_LINE.match, go_mod_directives(text, "require")) if m)
    found = {}
    for line in go_mod_directives(text, "replace"):
        match = _REPLACE_LINE.match(line)
        if match and match.group(2).startswith("./"):
            found[match.group(1)] = (versions.get(match.group(1), "v0.0.0"), match.group(2))
    return found


def tree_digest(directory: Path) -> str:
    """What a stand-in module holds, so two fixtures' stand-ins of one module can be compared."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# The language version of a fixture without a go.mod: the tests' (`tests/gotool.py`).
DEFAULT_GO = "1.23"
_GO_LINE = re.compile(r"^go\s+(\S+)\s*$", re.MULTILINE)


def go_version(directory: Path) -> str:
    """The language version a fixture is built with: its own go.mod's, else the tests'."""
    go_mod = directory / "go.mod"
    match = _GO_LINE.search(go_mod.read_text()) if go_mod.is_file() else None
    return match.group(1) if match else DEFAULT_GO


@dataclass
class ScratchModule:
    """One temporary module of the run. A module path has one `replace` in a module, and a
    module one language version, so fixtures whose stand-ins of one module differ, or that
    ask for another version of Go, go to different scratch modules."""
    root: Path
    go: str
    stand_ins: dict[str, str] = field(default_factory=dict)  # module path -> tree digest
    replacements: dict[str, tuple[str, Path]] = field(default_factory=dict)

    def takes(self, go: str, wanted: dict[str, str]) -> bool:
        return self.go == go and all(self.stand_ins.get(path, digest) == digest for path, digest in wanted.items())

    def write_go_mod(self) -> None:
        lines = ["module fixtures.example", "", f"go {self.go}", ""]
        lines += [f"require {path} {version}" for path, (version, _) in sorted(self.replacements.items())]
        lines += [f"replace {path} => ./{target.relative_to(self.root)}" for path, (_, target) in sorted(self.replacements.items())]
        (self.root / "go.mod").write_text("\n".join(lines) + "\n")


def scratch_module_for(modules: list[ScratchModule], work: Path, go: str, wanted: dict[str, str]) -> ScratchModule:
    for module in modules:
        if module.takes(go, wanted):
            return module
    module = ScratchModule(work / f"module{len(modules)}", go)
    module.root.mkdir(parents=True)
    modules.append(module)
    return module


def copy_fixtures(work: Path) -> tuple[list[ScratchModule], list[Scenario]]:
    modules: list[ScratchModule] = []
    scenarios = []
    for prefix, root in FIXTURE_ROOTS.items():
        for directory in sorted(p for p in root.glob("*/*") if p.is_dir()):
            if not runnable(directory):
                continue
            replaced = local_replacements(directory)
            wanted = {path: tree_digest(directory / target) for path, (_, target) in replaced.items()}
            module = scratch_module_for(modules, work, go_version(directory), wanted)
            group = prefix + directory.parent.name
            copy = module.root / (prefix.strip("/") or "fixtures") / directory.parent.name / directory.name
            copy.mkdir(parents=True)
            scenario = Scenario(group, directory.name, copy, module.root)
            rename = own_module(directory, "fixtures.example/" + str(copy.relative_to(module.root)))
            pattern = "**/*.go" if rename else "*.go"
            for path, (version, target) in replaced.items():
                module.stand_ins.setdefault(path, wanted[path])
                module.replacements.setdefault(path, (version, copy / target))
                stand_in = directory / target / "go.mod"
                if stand_in.is_file():
                    (copy / target).mkdir(parents=True, exist_ok=True)
                    (copy / target / "go.mod").write_text(stand_in.read_text())
            for source in directory.glob(pattern):
                if source.name.endswith("_test.go"):
                    continue
                target = copy / source.relative_to(directory)
                target.parent.mkdir(parents=True, exist_ok=True)
                text = source.read_text()
                if rename:  # imports of the fixture's own packages, renamed on the same lines
                    text = text.replace(f'"{rename[0]}/', f'"{rename[1]}/')
                target.write_text(text)
                for want in parse_wants(str(target), text):
                    scenario.want_lines.add((str(target), want.line))
            scenarios.append(scenario)
    for module in modules:
        module.write_go_mod()
    return modules, scenarios


def panic_lines(stderr: str, files: set[str]) -> set[tuple[str, int]]:
    """The panicking goroutine's frames that lie in the fixture's own files."""
    first = next((b for b in stderr.split("\n\n") if b.startswith("goroutine ")), "")
    lines = set()
    for line in first.splitlines():
        match = _FRAME.match(line)
        if match and match.group(1) in files:
            lines.add((match.group(1), int(match.group(2))))
    return lines


def run_fixtures(bin_dir: Path, scenarios: list[Scenario], env: dict[str, str]) -> None:
    """Build and run each fixture: the runtime's verdict and where it panicked."""
    bin_dir.mkdir(exist_ok=True)
    for number, scenario in enumerate(scenarios):
        binary = bin_dir / f"f{number}"
        package = "./" + str(scenario.copy.relative_to(scenario.module))
        built = subprocess.run(["go", "build", "-o", str(binary), package], cwd=scenario.module, env=env, capture_output=True, text=True, timeout=300, check=False)
        if built.returncode != 0:
            scenario.run_note = "does not build: " + built.stderr.strip().splitlines()[-1]
            continue
        try:
            ran = subprocess.run([str(binary)], cwd=scenario.copy, capture_output=True, text=True, timeout=30, check=False)
        except subprocess.TimeoutExpired:
            scenario.run_note = "timed out"
            continue
        files = {str(p) for p in scenario.copy.glob("**/*.go")}
        scenario.panicked = ran.returncode != 0 and PANIC in ran.stderr
        scenario.panic_lines = panic_lines(ran.stderr, files) if scenario.panicked else set()
        if scenario.positive != scenario.panicked:
            scenario.run_note = f"runtime disagrees with the wants (exit {ran.returncode})"


# -- the tools -------------------------------------------------------------------------------------
@dataclass
class ToolRun:
    name: str
    findings: list[pt.Finding]
    wall_s: float
    note: str = ""


def run_tools(module: Path, scenarios: list[Scenario], env: dict[str, str], timeout: float, skip: set[str]) -> list[ToolRun]:
    runs = []

    def timed(name: str, argv: list[str], parse) -> None:
        if name in skip:
            return
        start = time.perf_counter()
        code, out, err = pt.run(argv, module, env, timeout)
        wall = time.perf_counter() - start
        findings, problems = parse(out)
        note = f"exit {code}: {err.strip()[-200:]}" if code not in (0, 1, 3) else ""
        if problems:
            note += f" {len(problems)} package problem(s), first: {problems[0][:160]}"
        runs.append(ToolRun(name, findings, wall, note.strip()))
        print(f"  {name}: {len(findings)} findings in {wall:.1f} s {note}", file=sys.stderr, flush=True)

    timed("nilmap", pt.nilmap_argv(["./...", "--select", "NM"]), lambda out: (pt.parse_nilmap(out, module), []))
    timed("nilmap (default rules)", pt.nilmap_argv(["./..."]), lambda out: (pt.parse_nilmap(out, module), []))
    if pt.have("staticcheck"):
        timed("staticcheck", pt.staticcheck_argv(["./..."]), pt.parse_staticcheck)
    if pt.have("nilaway"):
        for name, flags in pt.NILAWAY_MODES.items():
            timed(name, pt.nilaway_argv(["./..."], flags, str(module)), lambda out, n=name: pt.parse_nilaway(out, n))
    if pt.have("gopls"):
        files = sorted(str(p) for s in scenarios for p in s.copy.glob("**/*.go"))
        timed("gopls", [pt.tool("gopls"), "check", "-severity=hint", *files], lambda out: (pt.parse_gopls_check(out), []))
    return runs


def run_tools_on_each(modules: list[ScratchModule], scenarios: list[Scenario], env: dict[str, str], timeout: float, skip: set[str]) -> list[ToolRun]:
    """Every tool on every scratch module, each tool's findings and wall times put together."""
    merged: dict[str, ToolRun] = {}
    for module in modules:
        inside = [s for s in scenarios if s.module == module.root]
        for run in run_tools(module.root, inside, env, timeout, skip):
            whole = merged.setdefault(run.name, ToolRun(run.name, [], 0.0))
            whole.findings.extend(run.findings)
            whole.wall_s += run.wall_s
            whole.note = "; ".join(n for n in (whole.note, run.note) if n)
    return list(merged.values())


# -- judging ---------------------------------------------------------------------------------------
@dataclass
class Verdict:
    found: bool
    found_at_want: bool
    stray: list[pt.Finding]


def judge(scenario: Scenario, findings: list[pt.Finding]) -> Verdict:
    mine = [f for f in findings if f.path.startswith(str(scenario.copy) + os.sep) and pt.claims_nil_panic(f)]
    good = scenario.want_lines | scenario.panic_lines
    hits = [f for f in mine if (f.path, f.line) in good]
    stray = [f for f in mine if (f.path, f.line) not in good]
    at_want = any((f.path, f.line) in scenario.want_lines for f in hits)
    return Verdict(bool(hits) and scenario.positive, at_want and scenario.positive, stray)


def tables(scenarios: list[Scenario], runs: list[ToolRun]) -> dict:
    by_group: dict[str, list[Scenario]] = defaultdict(list)
    for s in scenarios:
        by_group[s.group].append(s)
    result: dict = {"groups": {}, "scenarios": {}}
    for group, members in sorted(by_group.items()):
        row: dict = {"positives": sum(s.positive for s in members), "clean": sum(not s.positive for s in members), "tools": {}}
        for run in runs:
            verdicts = [(s, judge(s, run.findings)) for s in members]
            row["tools"][run.name] = {
                "found": sum(v.found for s, v in verdicts),
                "found_at_want": sum(v.found_at_want for s, v in verdicts),
                "false_alarm_fixtures": sum(bool(v.stray) for s, v in verdicts if not s.positive),
                "stray_on_positives": sum(len(v.stray) for s, v in verdicts if s.positive),
                "stray_on_clean": sum(len(v.stray) for s, v in verdicts if not s.positive),
            }
            for s, v in verdicts:
                entry = result["scenarios"].setdefault(f"{s.group}/{s.name}", {"positive": s.positive, "note": s.run_note, "tools": {}})
                entry["tools"][run.name] = {"found": v.found, "stray": [f"{Path(f.path).name}:{f.line}: {f.code} {pt.short_message(f)}" for f in v.stray]}
        result["groups"][group] = row
    return result


def print_tables(result: dict, runs: list[ToolRun], details: bool) -> None:
    names = [r.name for r in runs]
    print("Found: positive fixtures with a finding on a want line or on a line of the panic's stack")
    print()
    print("| rule directory | positives | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    totals = defaultdict(int)
    positives = clean = 0
    for group, row in result["groups"].items():
        cells = [str(row["tools"][n]["found"]) for n in names]
        print(f"| {group} | {row['positives']} | " + " | ".join(cells) + " |")
        if not group.startswith("pending/"):
            positives += row["positives"]
            clean += row["clean"]
            for n in names:
                for key, value in row["tools"][n].items():
                    totals[(n, key)] += value
    print(f"| all of tests/fixtures | {positives} | " + " | ".join(str(totals[(n, 'found')]) for n in names) + " |")
    print()
    print("False alarms: clean fixtures with a finding (of the clean fixtures), and findings on a positive fixture's other lines")
    print()
    print("| rule directory | clean | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for group, row in result["groups"].items():
        cells = [f"{row['tools'][n]['false_alarm_fixtures']} (+{row['tools'][n]['stray_on_positives']})" for n in names]
        print(f"| {group} | {row['clean']} | " + " | ".join(cells) + " |")
    print(f"| all of tests/fixtures | {clean} | " + " | ".join(f"{totals[(n, 'false_alarm_fixtures')]} (+{totals[(n, 'stray_on_positives')]})" for n in names) + " |")
    print()
    print("Wall time, summed over the scratch modules: " + ", ".join(f"{r.name} {r.wall_s:.1f} s" for r in runs))
    for run in runs:
        if run.note:
            print(f"  {run.name}: {run.note}")
    disagreements = [k for k, v in result["scenarios"].items() if v["note"]]
    if disagreements:
        print("Fixtures the runtime could not judge: " + "; ".join(f"{k} ({result['scenarios'][k]['note']})" for k in disagreements))
    if details:
        print()
        for key, entry in result["scenarios"].items():
            marks = " ".join(f"{n}={'Y' if entry['tools'][n]['found'] else ('-' if entry['positive'] else '.')}{'!' * len(entry['tools'][n]['stray'])}" for n in names)
            print(f"{key:70s} {'+' if entry['positive'] else ' '} {marks}")
            for n in names:
                for stray in entry["tools"][n]["stray"]:
                    print(f"      {n}: {stray}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="also write the figures and per-fixture verdicts here")
    parser.add_argument("--details", action="store_true", help="one line per fixture, with each stray finding")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per tool run")
    parser.add_argument("--skip", action="append", default=[], help="a tool to leave out (repeatable)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nilmap-peers-fixtures-"))
    try:
        env = pt.go_env({"GOCACHE": str(work / "gocache"), "STATICCHECK_CACHE": str(work / "staticcheck"), "GOPATH": str(work / "gopath")})
        modules, scenarios = copy_fixtures(work)
        print(f"{len(scenarios)} runnable fixtures in {len(modules)} scratch modules; building and running them", file=sys.stderr, flush=True)
        run_fixtures(work / "bin", scenarios, env)
        runs = run_tools_on_each(modules, scenarios, env, args.timeout, set(args.skip))
        result = tables(scenarios, runs)
        result["versions"] = pt.versions()
        result["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        print(f"{result['date']}; " + "; ".join(f"{k} {v}" for k, v in result["versions"].items()))
        print()
        print_tables(result, runs, args.details)
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
