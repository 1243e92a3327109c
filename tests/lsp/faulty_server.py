"""The language server with one extra rule that always raises, to test that a failing rule
is logged and reported once while the other rules still publish."""
from __future__ import annotations

import sys

import analyzers.rules
from analyzers.model import Severity
from analyzers.registry import Rule


def _explode(pass_: object) -> None:
    raise RuntimeError("boom: a bug in a rule")


FAULTY = Rule("NM999", "always-fails", "a rule that always fails", Severity.ERROR, "0.1.0", "never", True, "", _explode)
analyzers.rules.RULES = tuple(analyzers.rules.RULES) + (FAULTY,)

from lsp_server.__main__ import main  # noqa: E402  (after the rule table is patched)

sys.exit(main())
