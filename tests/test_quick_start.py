"""The README's quick start, run as a new user would on a stock Debian: its own
`/usr/bin/python3` (externally managed, PEP 668), Debian's pipx, a fresh home directory, and
the commands of the README's block word for word but for the path of the user's module. The
user's git fetches the repository URL from a copy of this tree (`url.<copy>.insteadOf` in
the fresh home's git configuration), so what is installed is what is tested."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
URL = "https://github.com/nilmap/nilmap"
MODULE_PLACEHOLDER = "path/to/your/module"
SYSTEM_PYTHON = Path("/usr/bin/python3")
PIPX = Path("/usr/bin/pipx")
BUG = 'package main\n\nfunc main() {\n\tvar seen map[string]bool\n\tseen["x"] = true\n}\n'


def _section_block(heading: str) -> list[str]:
    """The command lines of the first ```sh block under `heading`."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, f"no sh block under {heading}"
    return [line.split("  #")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def _scratch_repository(tmp: Path) -> Path:
    """This tree's files (committed or not, minus ignored ones) as a fresh git repository."""
    files = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           capture_output=True, text=True, check=True).stdout
    clone = tmp / "nilmap.git"
    for name in filter(None, files.split("\0")):
        if (REPO / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, clone / name)
    git = ["git", "-C", str(clone), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "snapshot"]):
        subprocess.run([*git, *args], check=True, capture_output=True)
    return clone


def _user_env(tmp: Path, clone: Path | None = None) -> dict[str, str]:
    """A new user's environment: the system's Python first, nothing of ours on PATH; git
    fetches the README's URL from `clone`."""
    home = tmp / "home"
    home.mkdir()
    if clone is not None:
        (home / ".gitconfig").write_text(f'[url "file://{clone}"]\n\tinsteadOf = {URL}\n')
    go = shutil.which("go")
    assert go, "go is not on PATH"
    path = [str(home / ".local" / "bin"), str(Path(go).resolve().parent), "/usr/local/bin", "/usr/bin", "/bin"]
    env = {"HOME": str(home), "PATH": os.pathsep.join(path), "LANG": "C.UTF-8", "TERM": "dumb"}
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "PIP_INDEX_URL"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def test_pip_install_is_refused_by_the_system_python(tmp_path: Path) -> None:
    """Why the README says pipx: the plain pip line fails on Debian's own Python."""
    assert SYSTEM_PYTHON.exists() and list(Path("/usr/lib").glob("python3*/EXTERNALLY-MANAGED")), "not a stock Debian Python"
    result = subprocess.run([str(SYSTEM_PYTHON), "-m", "pip", "install", "."], cwd=REPO, env=_user_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "externally-managed-environment" in result.stderr + result.stdout


def test_quick_start_as_written(tmp_path: Path) -> None:
    assert PIPX.exists(), "Debian's pipx is missing: run `bash scripts/setup-dev.sh`"
    lines = _section_block("## Quick start")
    assert lines == [f"pipx install git+{URL}", f"cd {MODULE_PLACEHOLDER}", "nilmap check ./..."], lines
    clone = _scratch_repository(tmp_path)
    module = tmp_path / "work" / "mymodule"
    module.mkdir(parents=True)
    (module / "go.mod").write_text("module example.com/mymodule\n\ngo 1.21\n")
    (module / "main.go").write_text(BUG)
    script = "\n".join(line.replace(MODULE_PLACEHOLDER, str(module)) for line in lines)
    env = _user_env(tmp_path, clone)
    result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    context = f"\nrc={result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}"
    assert result.returncode == 1, context  # a finding
    assert "main.go:5:2: NM001 write to nil map `seen`" in result.stdout, context
    installed = Path(env["HOME"]) / ".local" / "bin"
    # pipx's environment is made from the system's Python, and both commands are on PATH.
    pyvenv = (Path(env["HOME"]) / ".local" / "pipx" / "venvs" / "nilmap" / "pyvenv.cfg").read_text()
    assert re.search(r"^home = /usr/bin$", pyvenv, re.M), pyvenv
    bare = subprocess.run([str(installed / "nilmap")], env=env, capture_output=True, text=True, timeout=60)
    assert bare.returncode == 0 and bare.stdout.startswith("usage: nilmap"), bare.stdout + bare.stderr
    lsp = subprocess.run([str(installed / "nilmap-lsp"), "--version"], env=env, capture_output=True, text=True, timeout=60)
    assert lsp.returncode == 0 and lsp.stdout.startswith("nilmap-lsp "), lsp.stderr


def test_the_install_sections_clone_lines(tmp_path: Path) -> None:
    """The Install section's clone route: `git clone` then `pipx install ./nilmap`."""
    lines = [line for line in _section_block("or from a clone") if line]
    assert lines == [f"git clone {URL}", "pipx install ./nilmap"], lines
    env = _user_env(tmp_path, _scratch_repository(tmp_path))
    script = "\n".join(lines)
    result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    version = subprocess.run([str(Path(env["HOME"]) / ".local" / "bin" / "nilmap"), "--version"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert version.stdout.startswith("nilmap 0."), version.stderr


def test_readme_anchors_resolve() -> None:
    """Every `#anchor` link in the README and the editors' docs names a heading of its target,
    and so do the links the editor integrations show when the server is missing."""
    documents = [README, REPO / "editors" / "vscode" / "README.md", REPO / "editors" / "nvim" / "README.md"]
    readme_anchors = _anchors(README)
    for document in documents:
        for anchor in re.findall(r"\]\(#([\w-]+)\)", document.read_text(encoding="utf-8")):
            assert anchor in _anchors(document), f"{document.name}: #{anchor} has no heading"
    code_links = []
    for path in [*REPO.glob("editors/**/*.lua"), *REPO.glob("editors/vscode/src/*.ts"), REPO / "editors/vscode/package.json"]:
        code_links += re.findall(r"github\.com/nilmap/nilmap(?:/blob/main/README\.md)?#([\w-]+)", path.read_text(encoding="utf-8"))
    assert code_links, "the editors link to the README's install instructions"
    for anchor in code_links:
        assert anchor in readme_anchors, f"#{anchor} is not a README heading"


def _anchors(document: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", document.read_text(encoding="utf-8"), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors
