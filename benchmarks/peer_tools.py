"""The peers nilmap is measured against, run the same way by every `peers_*.py` script.

staticcheck, nilaway and gopls are not dependencies of nilmap or its tests: they are
installed at pinned versions with `go install` into a folder outside the repository
(`$NILMAP_PEERS_BIN`, default `~/.cache/nilmap-peers/bin`; see benchmarks/README.md).
Each runner returns the peer's findings as `Finding`s with absolute paths, so the scripts
can judge every tool's findings alike. Nothing here asserts on anything.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEERS_BIN = Path(os.environ.get("NILMAP_PEERS_BIN", Path.home() / ".cache" / "nilmap-peers" / "bin"))

# Offline by default; the real-bug script turns the proxy on for `go mod download`.
GO_ENV = {
    "GOTOOLCHAIN": "local",
    "GOPROXY": "off",
    "GOFLAGS": "-mod=mod",
    "GOWORK": "off",
    "GO111MODULE": "on",
    "GOTELEMETRY": "off",
}

STATICCHECK_CHECKS = "SA5000,SA5011"
# nilaway's three ways to run: its default, and each of its struct-initialisation modes.
NILAWAY_MODES = {
    "nilaway": [],
    "nilaway +struct-init": ["-experimental-struct-init"],
    "nilaway +struct-init-v2": ["-experimental-struct-init-v2"],
}


@dataclass(frozen=True)
class Finding:
    tool: str
    path: str  # absolute
    line: int
    column: int
    code: str
    message: str


def tool(name: str) -> str:
    """The path of a peer binary (`staticcheck`, `nilaway`, `gopls`)."""
    return str(PEERS_BIN / name)


def have(name: str) -> bool:
    return (PEERS_BIN / name).is_file()


def go_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(GO_ENV)
    env.update(extra or {})
    return env


def module_version(binary: str) -> str:
    """`path@version (goX)` of a Go binary, from the build information it carries."""
    out = subprocess.run(["go", "version", "-m", binary], capture_output=True, text=True, check=False).stdout
    go = out.split(":", 1)[1].split()[0] if ":" in out else "?"
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[0] == "mod":
            return f"{fields[1]}@{fields[2]} ({go})"
    return f"? ({go})"


def versions() -> dict[str, str]:
    """The versions of Go, the peers and nilmap that a run used."""
    found = {"go": subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True, check=False).stdout.strip()}
    for name in ("staticcheck", "nilaway", "gopls"):
        found[name] = module_version(tool(name)) if have(name) else "not installed"
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False)
    found["nilmap"] = f"commit {head.stdout.strip() or '?'}"
    return found


# -- commands --------------------------------------------------------------------------------------
def staticcheck_argv(packages: list[str], checks: str = STATICCHECK_CHECKS) -> list[str]:
    return [tool("staticcheck"), "-checks", checks, "-f", "json", *packages]


def nilaway_argv(packages: list[str], flags: list[str], report_root: str) -> list[str]:
    # One finding per site (no grouping), errors reported for every file under report_root.
    return [
        tool("nilaway"), "-json", "-pretty-print=false", "-group-error-messages=false",
        f"-include-errors-in-files={report_root}", *flags, *packages,
    ]


def nilmap_argv(paths: list[str], cache: bool = False) -> list[str]:
    argv = [sys.executable, "-m", "analyzers.cli", "check", "--format", "json", "--no-progress"]
    return argv + ([] if cache else ["--no-cache"]) + paths


# -- parsing each tool's output ---------------------------------------------------------------------
def parse_staticcheck(out: str) -> tuple[list[Finding], list[str]]:
    """Findings, and the problems staticcheck reported instead of findings (code `compile`)."""
    findings, problems = [], []
    for line in out.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        item = json.loads(line)
        where = item.get("location", {})
        if item.get("code") == "compile":
            problems.append(f"{where.get('file')}:{where.get('line')}: {item.get('message')}")
            continue
        findings.append(Finding("staticcheck", where.get("file", ""), where.get("line", 0), where.get("column", 0), item.get("code", ""), item.get("message", "")))
    return findings, problems


_POSN = re.compile(r"^(.*):(\d+):(\d+)$")


def parse_nilaway(out: str, name: str = "nilaway") -> tuple[list[Finding], list[str]]:
    """nilaway's JSON: {package: {"nilaway": [{posn, message}], "error": ...}}."""
    findings, problems = [], []
    start = out.find("{")
    if start < 0:
        return findings, [out.strip()[-300:]] if out.strip() else []
    decoder = json.JSONDecoder()
    position = start
    while position < len(out):
        try:
            data, end = decoder.raw_decode(out, position)
        except ValueError:
            problems.append(out[position:position + 300])
            break
        for package, analyzers in data.items():
            if not isinstance(analyzers, dict):
                continue
            for analyzer, items in analyzers.items():
                if isinstance(items, dict) and "error" in items:
                    problems.append(f"{package}: {items['error']}")
                    continue
                for item in items if isinstance(items, list) else []:
                    match = _POSN.match(item.get("posn", ""))
                    if match:
                        findings.append(Finding(name, match.group(1), int(match.group(2)), int(match.group(3)), analyzer, item.get("message", "")))
        position = end
        while position < len(out) and out[position].isspace():
            position += 1
    return findings, problems


_GOPLS_LINE = re.compile(r"^(/.*?\.go):(\d+):(\d+)(?:-\d+)?: (.*)$")


def parse_gopls_check(out: str) -> list[Finding]:
    findings = []
    for line in out.splitlines():
        match = _GOPLS_LINE.match(line)
        if match:
            findings.append(Finding("gopls", match.group(1), int(match.group(2)), int(match.group(3)), "", match.group(4)))
    return findings


def parse_nilmap(out: str, cwd: Path) -> list[Finding]:
    findings = []
    for item in json.loads(out or "[]"):
        path = item["path"] if os.path.isabs(item["path"]) else str((cwd / item["path"]).resolve())
        findings.append(Finding("nilmap", path, item["line"], item["column"], item["code"], item["message"]))
    return findings


# -- which findings speak of a nil map write ------------------------------------------------------
def claims_nil_panic(finding: Finding) -> bool:
    """A finding that says a nil value panics here (not nilness' tautology notes, not style)."""
    if finding.tool == "gopls":
        return finding.message.startswith("nil dereference")
    return True


def about_map_write(finding: Finding) -> bool:
    """A finding about a write into a nil map, the only kind nilmap reports.

    staticcheck: SA5000; nilaway: a flow ending in "written to at an index"; gopls'
    nilness: "nil dereference in map update"; nilmap: every finding but NM900.
    """
    if finding.tool == "staticcheck":
        return finding.code == "SA5000"
    if finding.tool.startswith("nilaway"):
        return "written to at an index" in finding.message
    if finding.tool == "gopls":
        return "map update" in finding.message
    return finding.code != "NM900"


def short_message(finding: Finding, width: int = 140) -> str:
    """One line of a finding's message (nilaway's first line is only a header)."""
    lines = [line.strip(" -\t") for line in finding.message.splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].startswith("Potential nil panic detected"):
        lines = lines[1:]
    return " / ".join(lines)[:width]


# nilaway holds the whole dependency graph: 15-20 GB for the standard library or a
# Kubernetes client. The cap stops it before a shared machine runs out of memory.
MAX_GB = float(os.environ.get("NILMAP_PEERS_MAX_GB", "8"))


def run(argv: list[str], cwd: str | Path, env: dict[str, str], timeout: float) -> tuple[int, str, str]:
    """Run a tool under `nice` and an address-space cap; (exit code, stdout, stderr);
    exit 124 on timeout."""
    cap = ["prlimit", f"--as={int(MAX_GB * 2**30)}"] if MAX_GB else []
    try:
        result = subprocess.run([*cap, "nice", "-n", "10", *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode("utf-8", "replace") if isinstance(exc.stdout, bytes) else exc.stdout or ""
        return 124, out, f"timed out after {timeout:.0f} s"
    return result.returncode, result.stdout, result.stderr
