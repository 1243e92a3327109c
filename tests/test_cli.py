"""`nilmap check` end to end, as a subprocess: formats, exit codes, bad input, fixes."""
from __future__ import annotations

import json
import os
import pathlib
import stat

import pytest

from tests.cli_support import BUG, CLEAN, nilmap, write

ROOT = pathlib.Path(__file__).parent
SNAPSHOTS = ROOT / "snapshots"
UPDATE = os.environ.get("NILMAP_UPDATE_SNAPSHOTS", "") not in ("", "0")


def test_exit_status_and_text_format(tmp_path: pathlib.Path) -> None:
    write(tmp_path / "clean", {"main.go": CLEAN})
    write(tmp_path / "bug", {"main.go": BUG})
    assert nilmap("check", "clean", cwd=tmp_path).returncode == 0
    result = nilmap("check", "bug", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "bug/main.go:5:2: NM001 write to nil map `m`: declared at line 4 without make"
    missing = nilmap("check", "bug", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2
    assert "nowhere: no such file or directory" in missing.stderr
    assert "bug/main.go:5:2" in missing.stdout  # the rest is still checked


def test_no_go_files_is_a_warning(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"sub/main.go": BUG, "README": "no Go here"})
    result = nilmap("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "nilmap: warning: no Go files in . (`dir/...` checks a tree)\n"
    empty = write(tmp_path / "empty", {"notes.txt": "x"})
    assert nilmap("check", "./...", cwd=empty).stderr == "nilmap: warning: no Go files in ./...\n"


def test_unreadable_files_get_one_line_and_the_run_goes_on(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"a/bad.go": b"package main\n\nvar s = \"\xff\xfe\"\n", "a/main.go": BUG})
    result = nilmap("check", "./...", cwd=tmp_path)
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if "bad.go" in line] == ["nilmap: a/bad.go: not valid UTF-8 at byte 23; skipped"]
    assert "a/main.go:5:2: NM001" in result.stdout
    only_bad = nilmap("check", "a/bad.go", cwd=tmp_path)
    assert only_bad.returncode == 2
    # In CI formats, what could not be read is part of the report too.
    sarif = json.loads(nilmap("check", "--format", "sarif", "./...", cwd=tmp_path).stdout)
    [invocation] = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [notice] = invocation["toolExecutionNotifications"]
    assert notice["message"]["text"] == "not valid UTF-8 at byte 23; skipped"
    assert notice["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a/bad.go"
    annotations = nilmap("check", "--format", "github", "./...", cwd=tmp_path).stdout.splitlines()
    assert annotations[0] == "::error title=nilmap,file=a/bad.go::not valid UTF-8 at byte 23; skipped"
    assert annotations[1].startswith("::error title=nilmap (NM001),file=a/main.go,")


def test_recursion_skips_vendor_testdata_and_hidden(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"vendor/x/main.go": BUG, "testdata/main.go": BUG, ".hidden/main.go": BUG, "_skip/main.go": BUG, "pkg/main.go": BUG})
    result = nilmap("check", "./...", cwd=tmp_path)
    assert [line.split(":")[0] for line in result.stdout.splitlines() if "NM001" in line] == ["pkg/main.go"]


def test_other_platforms_files_are_left_out(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": CLEAN.replace("func main", "func other"), "x_windows.go": BUG, "y.go": "//go:build ignore\n\n" + BUG})
    assert nilmap("check", ".", cwd=tmp_path).returncode == 0
    named = nilmap("check", "x_windows.go", cwd=tmp_path)
    assert named.returncode == 1  # a file named explicitly is always checked


def test_select_and_ignore(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG})
    assert nilmap("check", "--ignore", "NM001", ".", cwd=tmp_path).returncode == 0
    assert nilmap("check", "--select", "NM002,NM003", ".", cwd=tmp_path).returncode == 0
    assert nilmap("check", "--select", "nm001", ".", cwd=tmp_path).returncode == 1
    assert nilmap("check", "--select", "NM00", "--ignore", "NM9", ".", cwd=tmp_path).returncode == 1  # prefixes


def test_an_unknown_rule_code_in_a_flag_is_an_error(tmp_path: pathlib.Path) -> None:
    """A typo in CI flags must not turn the check off without a word."""
    write(tmp_path, {"main.go": BUG})
    for flag, value in (("--select", "NM042"), ("--ignore", "NM001,X1")):
        result = nilmap("check", flag, value, ".", cwd=tmp_path)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.splitlines()[-1].startswith(f"nilmap check: error: argument {flag}: unknown rule code ")


def test_suppressions(tmp_path: pathlib.Path) -> None:
    source = BUG.replace('\tm["a"] = 1\n', '\tm["a"] = 1 //nilmap:ignore NM001 exercised by the crash test\n')
    source += "\nfunc other() {\n\t//nilmap:ignore NM001 nothing to silence here\n\tx := 1\n\t_ = x\n}\n"
    source += "\nfunc third() {\n\tvar n map[int]int\n\t//nilmap:ignore NM001\n\tn[1] = 2\n}\n"
    write(tmp_path, {"main.go": source})
    lines = nilmap("check", ".", cwd=tmp_path).stdout.splitlines()
    found = [line for line in lines if ": NM" in line]
    assert not any(":5:" in line for line in found)  # suppressed with a reason
    assert any(":9:2: NM900 unused suppression of NM001" in line for line in found)
    assert any(":16:2: NM900 suppression needs a reason" in line for line in found)
    assert not any(":17:" in line and "NM001" in line for line in found)  # still suppressed


def test_json_and_sarif(tmp_path: pathlib.Path) -> None:
    fixture = ROOT / "fixtures/nil_map_field/method_write_cross_file"
    records = json.loads(nilmap("check", "--format", "json", ".", cwd=fixture).stdout)
    assert {r["code"] for r in records} == {"NM003"}
    construction = next(r for r in records if r["line"] == 4)
    assert construction["related"][0]["path"].endswith("registry.go")
    assert construction["fixes"][0]["applicability"] == "safe"
    sarif = json.loads(nilmap("check", "--format", "sarif", ".", cwd=fixture).stdout)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["NM001", "NM002", "NM003", "NM004", "NM005", "NM006", "NM007", "NM008", "NM900"]
    assert all(r["fullDescription"]["text"] and r["helpUri"] for r in run["tool"]["driver"]["rules"])
    assert run["results"] and all("relatedLocations" in result for result in run["results"])


SNAPSHOT_PACKAGES = (
    "nil_map_write_on_some_paths/made_in_one_branch",
    "nested_map_write/uid_never_made",
    "nil_map_field/constructor_three_files",
    "decoded_map_write/parameter_field",
)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_snapshots(fmt: str) -> None:
    """The report of a few fixtures, one per rule, in each format (NILMAP_UPDATE_SNAPSHOTS=1 rewrites)."""
    out = nilmap("check", "--format", fmt, "--select", "NM", *SNAPSHOT_PACKAGES, cwd=ROOT / "fixtures").stdout
    snapshot = SNAPSHOTS / f"fixtures.{fmt}"
    if UPDATE:
        snapshot.write_text(out)
    assert out == snapshot.read_text()


def test_single_file_gives_the_same_findings_as_its_directory() -> None:
    fixture = ROOT / "fixtures/nil_map_field/constructor_three_files"
    whole = nilmap("check", ".", cwd=fixture).stdout.splitlines()
    # The construction (new.go) and the write (main.go) are reported; add.go holds the method.
    assert sorted(line.split(":")[0] for line in whole if not line.startswith("    ")) == ["main.go", "new.go"]
    for name in ("new.go", "add.go", "main.go"):
        alone = nilmap("check", name, cwd=fixture).stdout.splitlines()
        assert alone == _with_fix_lines(whole, name)  # each finding with its fix lines


def _with_fix_lines(lines: list[str], name: str) -> list[str]:
    out, keep = [], False
    for line in lines:
        if not line.startswith("    "):
            keep = line.startswith(f"{name}:")
        if keep:
            out.append(line)
    return out


def test_fix_diff_and_idempotence(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG})
    target = tmp_path / "main.go"
    target.chmod(0o640)
    before = target.stat()
    diff = nilmap("check", "--diff", ".", cwd=tmp_path)
    assert "+\tm := make(map[string]int)" in diff.stdout
    after = target.stat()  # --diff writes nothing, not even for a moment
    assert (after.st_ino, after.st_mtime_ns, target.read_text()) == (before.st_ino, before.st_mtime_ns, BUG)
    assert diff.stderr == "nilmap: would fix 1 finding in 1 file\n"
    fixed = nilmap("check", "--fix", ".", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout
    assert fixed.stderr == "nilmap: fixed 1 finding in 1 file; 0 findings left\n"
    assert target.read_text() == BUG.replace("var m map[string]int", "m := make(map[string]int)")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    again = nilmap("check", "--fix", ".", cwd=tmp_path)
    assert again.returncode == 0 and target.read_text() == BUG.replace("var m map[string]int", "m := make(map[string]int)")
    assert not list(tmp_path.glob("*.nilmap-tmp-*"))


def test_unsafe_fixes_only_when_asked(tmp_path: pathlib.Path) -> None:
    source = "package main\n\nfunc main() {\n\tvar m map[string]int\n\tif m == nil {\n\t\tprintln(\"empty\")\n\t}\n\tm[\"a\"] = 1\n}\n"
    write(tmp_path, {"main.go": source})
    nilmap("check", "--fix", ".", cwd=tmp_path)
    safe = (tmp_path / "main.go").read_text()
    assert "var m map[string]int" in safe and "if m == nil {\n\t\tm = make(map[string]int)\n\t}\n\tm[\"a\"]" in safe
    write(tmp_path, {"main.go": source})
    nilmap("check", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert "m := make(map[string]int)" in (tmp_path / "main.go").read_text()


def test_rules_listing_and_documentation() -> None:
    from analyzers.registry import documented_rules

    RULES = documented_rules()
    listing = nilmap("rules").stdout
    assert "NM001  nil-map-write" in listing
    doc = nilmap("rule", "NM003")
    assert doc.returncode == 0 and doc.stdout == next(r for r in RULES if r.code == "NM003").markdown()
    assert doc.stdout.startswith("# NM003 map-field-not-initialised") and "## Fix safety" in doc.stdout
    assert nilmap("rule", "nm003").stdout == doc.stdout
    everything = nilmap("rule", "--all").stdout
    assert [line for line in everything.splitlines() if line.startswith("# NM")] == [f"# {r.code} {r.name}" for r in RULES]
    unknown = nilmap("rule", "NM042")
    assert unknown.returncode == 2 and unknown.stderr == "nilmap: unknown rule 'NM042'; known rules: NM001, NM002, NM003, NM004, NM005, NM006, NM007, NM008, NM900\n"
    assert nilmap("rule").returncode == 2


def test_output_file_and_exit_zero(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG})
    result = nilmap("check", "--format", "json", "--output-file", "report.json", "--exit-zero", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert json.loads((tmp_path / "report.json").read_text())[0]["code"] == "NM001"
    unwritable = nilmap("check", "-o", "no/such/dir/report.txt", ".", cwd=tmp_path)
    assert (unwritable.returncode, unwritable.stderr) == (2, "nilmap: no/such/dir/report.txt: No such file or directory\n")
    assert nilmap("check", "--exit-zero", "nowhere", cwd=tmp_path).returncode == 2  # errors still count


def test_version() -> None:
    from analyzers import __version__

    result = nilmap("--version")
    assert result.returncode == 0 and result.stdout == f"nilmap {__version__}\n"


def test_github_annotations_escape_what_the_runner_decodes(tmp_path: pathlib.Path) -> None:
    """Commas and colons in paths, and the message's line breaks, are escaped; columns count characters."""
    write(tmp_path, {"a,b:c/main.go": BUG.replace('m["a"] = 1', 's := "测试🙂"; m[s] = 1')})
    out = nilmap("check", "--format", "github", "./...", cwd=tmp_path).stdout
    assert out.startswith("::error title=nilmap (NM001),file=a%2Cb%3Ac/main.go,line=5,col=14,endLine=5,endColumn=18::a,b:c/main.go:5:14: NM001 ")
    assert out.count("\n") == 1
    fixture = ROOT / "fixtures/nil_map_field/constructor_three_files"
    related = nilmap("check", "--format", "github", ".", cwd=fixture).stdout.splitlines()[0]
    assert related.endswith("leaves `entries` nil%0Anew.go:5:10: `Registry` built here without `entries`%0Aadd.go:4:2: `entries` written here")


def test_result_cache(tmp_path: pathlib.Path) -> None:
    """A re-run reads the stored result; a changed file, or --no-cache, checks afresh."""
    cache = tmp_path / "cache"
    write(tmp_path / "src", {"main.go": BUG})
    first = nilmap("check", ".", cwd=tmp_path / "src", cache=cache)
    entries = list(cache.rglob("*.json"))
    assert first.returncode == 1 and len(entries) == 1
    # An entry whose message no analysis would write: the re-run shows it, so it read the entry.
    stored = json.loads(entries[0].read_bytes())
    found = stored["diagnostics"][0]["message"]
    stored["diagnostics"][0]["message"] = "as the cache holds it"
    entries[0].write_text(json.dumps(stored))
    again = nilmap("check", ".", cwd=tmp_path / "src", cache=cache)
    assert found in first.stdout and again.stdout == first.stdout.replace(found, "as the cache holds it")
    write(tmp_path / "src", {"main.go": CLEAN})
    assert nilmap("check", ".", cwd=tmp_path / "src", cache=cache).returncode == 0
    assert len(list(cache.rglob("*.json"))) == 2
    other = tmp_path / "other-cache"
    assert nilmap("check", "--no-cache", ".", cwd=tmp_path / "src", cache=other).returncode == 0
    assert not other.exists()
