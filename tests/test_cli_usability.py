"""`nilmap` as a person meets it: help, rule names, exit status of --diff, counts that add up,
and the closing line on a terminal."""
from __future__ import annotations

import os
import pathlib
import pty
import shutil
import subprocess
import sys

from tests.cli_support import BUG, CLEAN, nilmap, nilmap_env, write

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def test_bare_nilmap_prints_help() -> None:
    result = nilmap()
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("usage: nilmap")
    for command in ("check", "rule", "rules"):
        assert f"    {command} " in result.stdout


def test_jobs_default_is_shown_in_help() -> None:
    text = " ".join(nilmap("check", "--help").stdout.split())
    assert f"(default: one per core, {os.cpu_count()} here)" in text


def test_rule_names_are_accepted_wherever_codes_are(tmp_path: pathlib.Path) -> None:
    by_code = nilmap("rule", "NM003").stdout
    assert nilmap("rule", "map-field-not-initialised").stdout == by_code
    write(tmp_path, {"main.go": BUG})
    assert nilmap("check", "--ignore", "nil-map-write", ".", cwd=tmp_path).returncode == 0
    assert nilmap("check", "--select", "nil-map-write", ".", cwd=tmp_path).returncode == 1
    assert nilmap("check", "--select", "nested-map-write,map-field-not-initialised", ".", cwd=tmp_path).returncode == 0
    typo = nilmap("check", "--select", "nil-map-wrote", ".", cwd=tmp_path)
    assert typo.returncode == 2 and "unknown rule code 'NIL-MAP-WROTE'" in typo.stderr
    write(tmp_path, {"nilmap.toml": 'ignore = ["nil-map-write"]\n'})
    assert nilmap("check", ".", cwd=tmp_path).returncode == 0
    write(tmp_path, {"nilmap.toml": '[severity]\nnil-map-write = "warning"\n'})
    out = nilmap("check", "--format", "json", ".", cwd=tmp_path).stdout
    assert '"severity": "warning"' in out


def test_diff_exits_1_when_it_would_change_something(tmp_path: pathlib.Path) -> None:
    write(tmp_path / "bug", {"main.go": BUG})
    write(tmp_path / "clean", {"main.go": CLEAN})
    diff = nilmap("check", "--diff", ".", cwd=tmp_path / "bug")
    assert diff.returncode == 1 and diff.stdout.startswith("--- a/main.go")
    assert (tmp_path / "bug" / "main.go").read_text() == BUG
    assert nilmap("check", "--diff", ".", cwd=tmp_path / "clean").returncode == 0


def test_fix_counts_add_up_to_the_findings_listed(tmp_path: pathlib.Path) -> None:
    """A construction and its write are two findings that one make fixes: "fixed 2"."""
    package = shutil.copytree(FIXTURES / "nil_map_field" / "method_write_cross_file", tmp_path / "pkg")
    listed = [line for line in nilmap("check", ".", cwd=package).stdout.splitlines() if ": NM" in line]
    assert len(listed) == 2
    diff = nilmap("check", "--diff", ".", cwd=package)
    assert diff.stderr == "nilmap: would fix 2 findings in 1 file\n"
    fixed = nilmap("check", "--fix", ".", cwd=package)
    assert fixed.returncode == 0 and fixed.stderr == "nilmap: fixed 2 findings in 1 file; 0 findings left\n"


def _on_a_terminal(args: list[str], cwd: pathlib.Path) -> tuple[int, str, str]:
    """Runs nilmap with stderr on a pseudo-terminal, as in an interactive shell."""
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "analyzers.cli", *args], cwd=cwd, stdout=subprocess.PIPE,
                          stderr=follower, env=nilmap_env(), timeout=300)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal is closed once everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.returncode, proc.stdout.decode(), b"".join(chunks).decode().replace("\r\n", "\n")


def test_summary_line_on_a_terminal(tmp_path: pathlib.Path) -> None:
    write(tmp_path / "clean", {"main.go": CLEAN, "other.go": "package main\n"})
    code, out, err = _on_a_terminal(["check", "."], tmp_path / "clean")
    assert (code, out, err) == (0, "", "nilmap: checked 2 files, no findings\n")
    package = shutil.copytree(FIXTURES / "nil_map_field" / "method_write_cross_file", tmp_path / "pkg")
    (package / "main.go").write_text((package / "main.go").read_text() + BUG.split("\n", 2)[2].replace("func main", "func other"))
    code, out, err = _on_a_terminal(["check", "."], package)
    assert code == 1 and out.count(": NM") == 3
    assert err == "nilmap: 3 findings, 3 fixable with --fix\n"
    # In a pipe (CI logs, scripts) the report stays the findings alone.
    assert nilmap("check", ".", cwd=tmp_path / "clean").stderr == ""


def test_a_fix_at_the_write_edits_the_file_where_the_struct_is_built(tmp_path: pathlib.Path) -> None:
    """NM003 reported in main.go is fixed by a make in new.go: --fix, --diff, JSON and SARIF say so."""
    import json

    package = shutil.copytree(FIXTURES / "nil_map_field" / "constructor_three_files", tmp_path / "pkg")
    original = (package / "new.go").read_text()
    fixed_new = original.replace("&Registry{name: name}", "&Registry{name: name, entries: make(map[string]int)}")
    [record] = json.loads(nilmap("check", "--format", "json", "main.go", cwd=package).stdout)
    preferred = record["fixes"][0]
    assert preferred["title"] == "Add `entries: make(map[string]int)` to the literal at new.go:5"
    assert [e["path"] for e in preferred["edits"]] == ["new.go"]
    sarif = json.loads(nilmap("check", "--format", "sarif", "main.go", cwd=package).stdout)
    changes = sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"]
    assert [c["artifactLocation"]["uri"] for c in changes] == ["new.go"]
    diff = nilmap("check", "--diff", "main.go", cwd=package)
    assert diff.returncode == 1 and diff.stdout.startswith("--- a/new.go\n+++ b/new.go\n")
    fixed = nilmap("check", "--fix", "main.go", cwd=package)
    assert fixed.returncode == 0 and fixed.stderr == "nilmap: fixed 1 finding in 1 file; 0 findings left\n"
    assert (package / "new.go").read_text() == fixed_new
    assert nilmap("check", ".", cwd=package).returncode == 0
