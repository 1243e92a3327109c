"""The GitHub Actions workflow in docs/github-actions.md, run step by step as the runner would.

The `uses:` steps (checkout, setup-python, the SARIF upload) need GitHub; every `run:` step
after the install is run here with the runner's shell, in a repository with a bug, one
without, and one with a broken configuration file.
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys

import yaml

from tests.cli_support import BUG, CLEAN, nilmap_env, write

DOC = pathlib.Path(__file__).parent.parent / "docs" / "github-actions.md"
RUNNER_SHELL = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]  # `shell: bash` on the runner


def workflow() -> dict:
    block = re.search(r"```yaml\n(.*?)```", DOC.read_text(), re.S)
    assert block, "docs/github-actions.md has no yaml block"
    return yaml.safe_load(block.group(1))


def steps() -> list[dict]:
    return workflow()["jobs"]["nilmap"]["steps"]


def run_steps(directory: pathlib.Path) -> dict[str, subprocess.CompletedProcess]:
    """Run the `run:` steps after the install in order, stopping at the first failure."""
    env = {**nilmap_env(), "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    results = {}
    for step in steps():
        if "run" not in step or step["name"] == "Install nilmap":
            continue
        results[step["name"]] = result = subprocess.run([*RUNNER_SHELL, step["run"]], cwd=directory, env=env, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            break
    return results


def test_the_workflow_is_well_formed() -> None:
    flow = workflow()
    job = flow["jobs"]["nilmap"]
    assert job["permissions"]["security-events"] == "write"
    assert set(flow[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key `on` as true
    install = next(s for s in job["steps"] if s.get("name") == "Install nilmap")
    assert "pip install" in install["run"]
    uses = [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python", "github/codeql-action/upload-sarif"]


def test_a_finding_is_uploaded_and_annotated_and_fails_the_job(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"go.mod": "module example.com/demo\n\ngo 1.19\n", "cmd/demo/main.go": BUG})
    results = run_steps(tmp_path)
    assert results["nilmap (SARIF report)"].returncode == 0
    upload = next(s for s in steps() if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    sarif = json.loads((tmp_path / upload["with"]["sarif_file"]).read_text())
    [result] = sarif["runs"][0]["results"]
    assert result["ruleId"] == "NM001"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "cmd/demo/main.go"
    annotations = results["nilmap (annotations)"]
    assert annotations.returncode == 1
    assert annotations.stdout.startswith("::error title=nilmap (NM001),file=cmd/demo/main.go,line=5,col=2,")


def test_a_clean_tree_passes(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"go.mod": "module example.com/demo\n\ngo 1.19\n", "main.go": CLEAN})
    results = run_steps(tmp_path)
    assert [r.returncode for r in results.values()] == [0, 0]
    assert json.loads((tmp_path / "nilmap.sarif").read_text())["runs"][0]["results"] == []


def test_a_broken_configuration_fails_the_report_step(tmp_path: pathlib.Path) -> None:
    write(tmp_path, {"main.go": BUG, "nilmap.toml": 'selec = ["NM001"]\n'})
    results = run_steps(tmp_path)
    assert list(results) == ["nilmap (SARIF report)"]  # the job stops there
    assert results["nilmap (SARIF report)"].returncode == 2
    assert "nilmap.toml:1: unknown key `selec`" in results["nilmap (SARIF report)"].stderr
