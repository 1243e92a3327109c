"""Programs in, verdicts out: build and run them in batches, check them with nilmap, judge.

nilmap's checks run in worker processes while the Go build of the same batch runs, so the
two toolchains overlap. Each batch gets a fresh directory under `workdir`; the Go build
cache is the one `tests/gotool.py` keeps for the whole run.
"""
from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

from tests.generated.batch import run_batch
from tests.generated.findings import Checked, check_source
from tests.generated.generator import generate
from tests.generated.program import Program, render
from tests.generated.shapes import shape_tags
from tests.generated.verdicts import Verdict, judge

BATCH_SIZE = 400


def _check(text: str) -> Checked:
    return check_source(text)


def evaluate(programs: list[Program], jobs: int = 2, workdir: Path | None = None, pool: Executor | None = None) -> list[Verdict]:
    """The verdict on each program, in order."""
    verdicts: list[Verdict] = []
    own_pool = pool is None and jobs > 1
    executor = ProcessPoolExecutor(max_workers=jobs) if own_pool else pool
    root = Path(tempfile.mkdtemp(prefix="nilmap-generated-", dir=workdir))
    try:
        for start in range(0, len(programs), BATCH_SIZE):
            chunk = programs[start : start + BATCH_SIZE]
            texts = [render(p).text for p in chunk]
            pending = [executor.submit(_check, t) for t in texts] if executor is not None else None
            directory = root / f"batch{start // BATCH_SIZE}"
            rendered, outcomes = run_batch(chunk, directory, jobs=max(jobs, 1))
            checked = [f.result() for f in pending] if pending is not None else [_check(t) for t in texts]
            for index, program in enumerate(chunk):
                write_tags = {n.write: n.tags for n in program.nodes() if n.write is not None}
                verdict = judge(program.seed, shape_tags(program), rendered[index], outcomes[index], checked[index], write_tags)
                verdicts.append(verdict)
            shutil.rmtree(directory, ignore_errors=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if own_pool and executor is not None:
            executor.shutdown()
    return verdicts


def evaluate_seeds(seeds: list[int], jobs: int = 2, workdir: Path | None = None) -> list[Verdict]:
    return evaluate([generate(seed) for seed in seeds], jobs, workdir)
