"""Fix goldens for fixture packages: `<file>.go.golden` next to `<file>.go`.

A golden is a txtar archive with one `-- <fix title> --` section per alternative fix,
each section the whole fixed file (x/tools' `RunWithSuggestedFixes` shape): the fixes of
all diagnostics of the file that carry the same title are applied together, so one
section shows, say, every `Add `if m == nil` guard` of the file. A fix that edits another
file of the package (NM003's make where the value is built) shows that file in a section
`-- <fix title> => <file name> --` after its own. A golden without any section header is
the whole file with each diagnostic's preferred fix applied.

Goldens are compared byte for byte, never gofmt-ed first; `fixed_package_problems`
then asks the Go toolchain whether the fixed package is gofmt-clean and vets. With
`NILMAP_UPDATE_GOLDENS=1` the goldens are rewritten instead of compared.
"""
from __future__ import annotations

import difflib
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import gotool
from tests.fixture_support import module_files
from analyzers.fixes.apply import apply_file_fixes, apply_fixes
from analyzers.model import Diagnostic, Fix

UPDATE_ENV = "NILMAP_UPDATE_GOLDENS"
_HEADER = re.compile(rb"^-- (.+) --$", re.MULTILINE)


def updating() -> bool:
    """Whether goldens are to be regenerated (`NILMAP_UPDATE_GOLDENS=1`)."""
    return os.environ.get(UPDATE_ENV, "") not in ("", "0")


def golden_path(go_file: Path) -> Path:
    return go_file.with_name(go_file.name + ".golden")


def parse_txtar(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split a txtar archive into its leading comment and its (name, content) sections."""
    matches = list(_HEADER.finditer(data))
    if not matches:
        return data, []
    comment = data[: matches[0].start()]
    sections = []
    for i, match in enumerate(matches):
        start = match.end() + 1  # the header's line end
        end = matches[i + 1].start() if i + 1 < len(matches) else len(data)
        sections.append((match.group(1).decode("utf-8"), data[start:end]))
    return comment, sections


def format_txtar(sections: list[tuple[str, bytes]], comment: bytes = b"") -> bytes:
    """A txtar archive; each section's content ends with a line end, as txtar requires."""
    out = [comment]
    for name, content in sections:
        if "\n" in name or name != name.strip():
            raise ValueError(f"bad section name {name!r}")
        if content and not content.endswith(b"\n"):
            content += b"\n"
        out.append(f"-- {name} --\n".encode() + content)
    return b"".join(out)


def edit_problems(source: bytes, fix: Fix) -> list[str]:
    """What is wrong with a fix's edits: out of bounds, start after end, overlaps."""
    problems = []
    edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
    for edit in edits:
        if not 0 <= edit.start <= edit.end <= len(source):
            problems.append(f"{fix.title}: edit [{edit.start}, {edit.end}) outside the file or reversed")
    for before, after in zip(edits, edits[1:]):
        if before.end > after.start or before.start == before.end == after.start == after.end:
            problems.append(f"{fix.title}: edits [{before.start}, {before.end}) and [{after.start}, {after.end}) overlap")
    return problems


OTHER_FILE = " => "  # `-- <title> => <file name> --`: what the fix does to another file


def _reader(home: str, source: bytes) -> Callable[[str], bytes]:
    return lambda path: source if path == home else Path(path).read_bytes()


def fixed_sections(source: bytes, diagnostics: Iterable[Diagnostic]) -> list[tuple[str, bytes]]:
    """One (title, fixed file) per distinct fix title, in order of first appearance, then
    (title => file name, fixed file) for each other file a fix of that title edits.

    Raises AssertionError when a fix's edits are invalid or when fixes that share a title
    overlap (then they could not be applied together).
    """
    by_title: dict[str, list[tuple[str, Fix]]] = {}
    home = ""
    for diagnostic in diagnostics:
        home = diagnostic.path
        read = _reader(home, source)
        for fix in diagnostic.fixes:
            for path, edits in fix.edits_by_file(home).items():
                problems = edit_problems(read(path), Fix(fix.title, edits))
                assert not problems, "\n".join(problems)
            by_title.setdefault(fix.title, []).append((home, fix))
    sections = []
    for title, fixes in by_title.items():
        unique = list({tuple(f.edits): (h, f) for h, f in fixes}.values())
        fixed, applied = apply_file_fixes(unique, _reader(home, source))
        assert applied == len(unique), f"fixes titled {title!r} overlap and cannot be applied together"
        sections.append((title, fixed.get(home, source)))
        sections.extend((f"{title}{OTHER_FILE}{Path(p).name}", fixed[p]) for p in sorted(fixed) if p != home)
    return sections


def preferred_fixed(source: bytes, diagnostics: Iterable[Diagnostic]) -> bytes:
    """The file with each diagnostic's preferred fix applied (the whole-file golden form)."""
    fixes = [d.preferred_fix for d in diagnostics if d.preferred_fix is not None]
    fixed, _ = apply_fixes(source, fixes)
    return fixed


def preferred_fixed_package(package_dir: Path, diagnostics: Iterable[Diagnostic]) -> dict[str, bytes]:
    """Every `.go` file of the package (by name) with each diagnostic's preferred fix
    applied, fixes that edit several files included."""
    chosen = [(d.path, d.preferred_fix) for d in diagnostics if d.preferred_fix is not None]
    fixed, _ = apply_file_fixes(chosen, lambda path: Path(path).read_bytes())
    files = {p.name: p.read_bytes() for p in sorted(package_dir.glob("*.go"))}
    files.update({Path(p).name: data for p, data in fixed.items()})
    files.update(module_files(package_dir))
    return files


def check_golden(go_file: Path, diagnostics: list[Diagnostic], update: bool | None = None) -> list[tuple[str, bytes]]:
    """Compare the fixes of `diagnostics` (findings in `go_file`) with its golden.

    Returns the (title, fixed file) sections. With `update` (default: the environment
    variable) the golden is rewritten, or removed when no fix is offered.
    """
    source = go_file.read_bytes()
    sections = fixed_sections(source, diagnostics)
    golden = golden_path(go_file)
    if update if update is not None else updating():
        if sections:
            golden.write_bytes(format_txtar(sections))
        elif golden.exists():
            golden.unlink()
        return sections
    if not golden.exists():
        assert not sections, f"{golden}: missing; offered fixes: {[t for t, _ in sections]} (set {UPDATE_ENV}=1)"
        return sections
    expected_data = golden.read_bytes()
    _, expected = parse_txtar(expected_data)
    if not expected:
        _assert_same(golden, "whole file", expected_data, preferred_fixed(source, diagnostics))
        return sections
    want_titles = [t for t, _ in expected]
    got_titles = [t for t, _ in sections]
    assert got_titles == want_titles, f"{golden}: fix titles differ\n  golden: {want_titles}\n  got:    {got_titles}"
    for (title, want), (_, got) in zip(expected, sections):
        _assert_same(golden, title, want, got)
    return sections


def _assert_same(golden: Path, title: str, want: bytes, got: bytes) -> None:
    if want == got:
        return
    diff = "".join(
        difflib.unified_diff(
            want.decode("utf-8", "replace").splitlines(keepends=True),
            got.decode("utf-8", "replace").splitlines(keepends=True),
            fromfile=f"{golden.name} [{title}]",
            tofile="fixed",
        )
    )
    raise AssertionError(f"{golden}: section {title!r} differs (set {UPDATE_ENV}=1 to update)\n{diff}")


def fixed_package_problems(package_dir: Path, replaced: dict[str, bytes]) -> list[str]:
    """Toolchain problems of a fixture package with some files replaced by fixed text.

    The package's `.go` files are copied into a temporary module; `replaced` maps file
    names to their fixed bytes. Returns gofmt's complaints about the replaced files and
    `go vet`'s output when it fails; empty when all is well.
    """
    with tempfile.TemporaryDirectory(prefix="nilmap-golden-") as tmp:
        root = Path(tmp)
        files = {p.name: p.read_bytes() for p in sorted(package_dir.glob("*.go"))}
        files.update(replaced)
        files.update(module_files(package_dir))
        gotool.write_module(root, files)
        problems = [f"gofmt: {p}" for p in gotool.gofmt_l(root) if p in replaced or not p.endswith(".go")]
        code, output = gotool.go_vet(root)
        if code != 0:
            problems.append(f"go vet: {output.strip()}")
        return problems
