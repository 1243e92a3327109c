"""The rule table: every rule nilmap has, in code order. No discovery magic."""
from __future__ import annotations

from analyzers.registry import Rule

RULES: tuple[Rule, ...] = ()
