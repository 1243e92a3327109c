"""`nilmap.toml`: where it is found, what it changes, how flags win, and its errors."""
from __future__ import annotations

import json
import pathlib
import tempfile

import pytest

from analyzers import globs
from analyzers.config import ConfigError, ConfigResolver, find_config, load_config
from analyzers.model import Severity
from tests.cli_support import BUG, nilmap, write


def findings(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": NM" in line]


def test_nearest_file_upward_wins_and_dot_file_first(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"nilmap.toml": "", "a/b/x.go": "", "a/.nilmap.toml": "", "a/nilmap.toml": ""})
    assert find_config(str(tmp_path / "a/b/x.go")) == str(tmp_path / "a/.nilmap.toml")
    assert find_config(str(tmp_path / "a/b")) == str(tmp_path / "a/.nilmap.toml")
    assert find_config(str(tmp_path)) == str(tmp_path / "nilmap.toml")


def test_select_ignore_and_severity_from_the_file(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"quiet/main.go": BUG, "quiet/nilmap.toml": 'ignore = ["NM001"]\n', "loud/main.go": BUG})
    write(tmp_path, {"soft/main.go": BUG, "soft/nilmap.toml": '[severity]\nNM001 = "warning"\n'})
    result = nilmap("check", "--format", "json", "./...", cwd=tmp_path)
    records = {(r["path"], r["severity"]) for r in json.loads(result.stdout)}
    assert records == {("loud/main.go", "error"), ("soft/main.go", "warning")}


def test_exclude_globs_are_relative_to_the_file(tmp_path: pathlib.Path) -> None:
    files = {"gen/x/main.go": BUG, "app/zz_generated.go": BUG.replace("main()", "gen()"), "app/main.go": BUG, "deep/gen/main.go": BUG}
    write(tmp_path, {**files, "nilmap.toml": 'exclude = ["gen/**", "zz_generated*.go"]\n'})
    assert [f.split(":")[0] for f in findings(nilmap("check", "./...", cwd=tmp_path))] == ["app/main.go", "deep/gen/main.go"]
    # run from elsewhere: still relative to the file, not to the working directory
    assert [f.split(":")[0] for f in findings(nilmap("check", "./...", cwd=tmp_path / "deep"))] == ["gen/main.go"]


def test_named_files_are_checked_unless_forced(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"gen/main.go": BUG, "nilmap.toml": 'exclude = ["gen"]\n'})
    assert nilmap("check", "gen/main.go", cwd=tmp_path).returncode == 1
    forced = nilmap("check", "--force-exclude", "gen/main.go", cwd=tmp_path)
    assert forced.returncode == 0 and forced.stdout == ""


def test_an_excluded_file_still_counts_as_part_of_its_package(tmp_path: pathlib.Path) -> None:
    """Excluding a file hides its findings, not its facts: here it makes the map."""
    made_elsewhere = "package main\n\nvar m map[string]int\n\nfunc main() {\n\tm[\"a\"] = 1\n}\n"
    write(tmp_path, {"main.go": made_elsewhere, "init_gen.go": "package main\n\nfunc init() {\n\tm = map[string]int{}\n}\n"})
    write(tmp_path, {"nilmap.toml": 'exclude = ["*_gen.go"]\n'})
    assert nilmap("check", ".", cwd=tmp_path).returncode == 0


def test_command_line_flags_win(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG, "gen/main.go": BUG, "nilmap.toml": 'ignore = ["NM001"]\nexclude = ["gen"]\n'})
    assert nilmap("check", "./...", cwd=tmp_path).returncode == 0
    selected = findings(nilmap("check", "--select", "NM001", "./...", cwd=tmp_path))
    assert [f.split(":")[0] for f in selected] == ["main.go"]  # --select starts afresh; exclude stays
    everything = findings(nilmap("check", "--select", "NM", "--exclude", "nothing", "./...", cwd=tmp_path))
    assert [f.split(":")[0] for f in everything] == ["gen/main.go", "main.go"]  # --exclude replaces the file's
    assert nilmap("check", "--isolated", "--extend-exclude", "gen", "./...", cwd=tmp_path).stdout.startswith("main.go:5:2: NM001")
    other = write(tmp_path / "elsewhere", {"strict.toml": 'select = ["NM002"]\n'}) / "strict.toml"
    assert nilmap("check", "--config", str(other), "--select", "NM001", "./...", cwd=tmp_path).returncode == 1
    assert nilmap("check", "--config", str(other), "./...", cwd=tmp_path).returncode == 0


def test_ignore_flag_adds_to_the_file(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG, "nilmap.toml": 'ignore = ["NM001"]\n'})
    assert nilmap("check", "--ignore", "NM002", ".", cwd=tmp_path).returncode == 0


def test_info_severity_is_a_notice_annotation(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG, "nilmap.toml": '[severity]\nNM001 = "info"\n'})
    assert nilmap("check", "--format", "github", ".", cwd=tmp_path).stdout.startswith("::notice title=nilmap (NM001),file=main.go,")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('selec = ["NM001"]\n', "nilmap.toml:1: unknown key `selec`; did you mean `select`?"),
        ('# rules\n\nselect = [\n  "NM001",\n  "NM01",\n]\n', 'nilmap.toml:5: unknown rule code "NM01" in `select`; known codes: NM001, NM002, NM003, NM004, NM005, NM006, NM007, NM008, NM900'),
        ('ignore = "NM001"\n', "nilmap.toml:1: `ignore` must be a list of strings"),
        ('exclude = ["gen", 3]\n', "nilmap.toml:1: `exclude` must be a list of strings"),
        ('ignore = []\n[severity]\nNM001 = "loud"\n', 'nilmap.toml:3: severity of NM001 must be "error", "warning" or "info", not \'loud\''),
        ('[severity]\nNM011 = "error"\n', 'nilmap.toml:2: unknown rule code "NM011" in [severity]; known codes: NM001, NM002, NM003, NM004, NM005, NM006, NM007, NM008, NM900'),
        ("severity = 1\n", 'nilmap.toml:1: `severity` must be a table of rule codes, e.g. NM002 = "warning"'),
        ("select = [\n", "nilmap.toml:1: invalid TOML: Invalid value"),
        ('ignore = ["NM001"\nexclude = []\n', "nilmap.toml:2: invalid TOML: Unclosed array"),
        (b"ignore = [\"\xff\"]\n", "nilmap.toml: not UTF-8 text"),
    ],
)
def test_errors_name_the_file_and_line_and_exit_2(tmp_path: pathlib.Path, text: str | bytes, expected: str) -> None:
    write(tmp_path, {"main.go": BUG, "nilmap.toml": text})
    result = nilmap("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"nilmap: {expected}\n")


def test_a_missing_config_flag_file_is_an_error(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG})
    result = nilmap("check", "--config", "nowhere.toml", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "nilmap: nowhere.toml: No such file or directory\n")


def test_resolver_loads_each_file_once_and_forgets(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"nilmap.toml": '[severity]\nNM001 = "warning"\n', "a/x.go": "", "b/y.go": ""})
    resolver = ConfigResolver()
    first = resolver.config_for(str(tmp_path / "a/x.go"))
    assert first is resolver.config_for(str(tmp_path / "b"))
    assert first.settings().severity_of("NM001", Severity.ERROR) == Severity.WARNING
    (tmp_path / "nilmap.toml").write_text("selec = 1\n")
    assert resolver.config_for(str(tmp_path / "a")) is first  # cached until told
    resolver.forget()
    with pytest.raises(ConfigError):
        resolver.config_for(str(tmp_path / "a"))
    assert ConfigResolver(isolated=True).config_for(str(tmp_path / "a")).path is None


def test_prefix_selection() -> None:
    settings = load_config_text('select = ["NM00"]\n').settings()
    assert settings.enabled("NM003") and not settings.enabled("NM900")
    ignoring = load_config_text('ignore = ["NM00"]\n').settings()
    assert not ignoring.enabled("NM003") and ignoring.enabled("NM900")


def load_config_text(text: str):
    with tempfile.TemporaryDirectory() as directory:
        path = pathlib.Path(directory) / "nilmap.toml"
        path.write_text(text)
        return load_config(str(path))


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("gen/a.go", "gen", True),
        ("x/gen/a.go", "gen", True),
        ("x/generated/a.go", "gen", False),
        ("x/gen/a.go", "gen/**", False),
        ("gen/a/b.go", "gen/**", True),
        ("x/gen/a.go", "**/gen/**", True),
        ("a/zz_generated.deepcopy.go", "zz_generated*.go", True),
        ("a/b/c.go", "a/*.go", False),
        ("a/c.go", "a/*.go", True),
        ("a/b/c.go", "a/**/*.go", True),
        ("a/c.go", "a/**/*.go", True),
        ("a/c_test.go", "*_test.go", True),
        ("a/c.go", "./a", True),
        ("a/c.go", "a/", True),
        ("a/c.go", "[ab]/c.go", True),
        ("a/c.go", "[!a]/c.go", False),
        (".", ".*", False),
        ("./a/c.go", ".*", False),
        ("../a/c.go", "a", False),
        (".github/x.go", ".*", True),
    ],
)
def test_globs(path: str, pattern: str, expected: bool) -> None:
    assert globs.matches(path, pattern) is expected
