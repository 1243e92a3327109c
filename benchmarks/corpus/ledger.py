"""The ledger of judged findings (`ledger.tsv`): one row per finding, keyed by the entry id,
the path inside the entry, the line and the rule, with the verdict and why.

Verdicts: `real` (the write panics when the path the message describes runs, and that path
can happen), `false` (it cannot panic; `kind` names the Go rule the engine missed),
`unsure` (it depends on something outside the repository).
"""
from __future__ import annotations

import csv
import pathlib
from dataclasses import astuple, dataclass, fields

VERDICTS = ("real", "false", "unsure")


@dataclass(frozen=True)
class Judgement:
    """One ledger row."""

    id: str
    path: str
    line: int
    rule: str
    severity: str
    verdict: str
    kind: str
    why: str

    @property
    def key(self) -> tuple[str, str, int, str]:
        return (self.id, self.path, self.line, self.rule)


COLUMNS = tuple(f.name for f in fields(Judgement))


def sort_key(row: Judgement) -> tuple[str, str, int, str]:
    return row.key


def read_ledger(path: pathlib.Path) -> dict[tuple[str, str, int, str], Judgement]:
    """The ledger's rows by key; an absent file is an empty ledger."""
    if not path.exists():
        return {}
    with path.open(newline="") as handle:
        rows = [Judgement(**{**row, "line": int(row["line"])}) for row in csv.DictReader(handle, delimiter="\t")]
    return {row.key: row for row in rows}


def problems(rows: dict[tuple[str, str, int, str], Judgement], path: pathlib.Path) -> list[str]:
    """What is wrong with the ledger: unknown verdicts, false rows without a kind, rows out
    of order (the file is kept sorted by key so diffs stay small)."""
    found = [f"{r.id} {r.path}:{r.line} {r.rule}: verdict {r.verdict!r}" for r in rows.values() if r.verdict not in VERDICTS]
    found += [f"{r.id} {r.path}:{r.line} {r.rule}: false without a kind" for r in rows.values() if r.verdict == "false" and not r.kind]
    if path.exists():
        with path.open(newline="") as handle:
            keys = [(r["id"], r["path"], int(r["line"]), r["rule"]) for r in csv.DictReader(handle, delimiter="\t")]
        if keys != sorted(keys):
            found.append(f"{path.name} is not sorted by (id, path, line, rule)")
        if len(keys) != len(set(keys)):
            found.append(f"{path.name} has duplicate keys")
    return found


def write_rows(path: pathlib.Path, rows: list[Judgement]) -> None:
    """Writes rows sorted by key, as the ledger keeps them."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in sorted(rows, key=sort_key):
            writer.writerow(astuple(row))
