"""The rule table: every rule nilmap has, in code order. No discovery magic."""
from __future__ import annotations

from analyzers.rule import Rule
from analyzers.rules import (
    decoded_map_write,
    map_field_nil_stores,
    map_field_reset,
    nested_map_write,
    nil_map_field,
    nil_map_write,
    nil_map_write_on_some_paths,
    nil_map_write_under_other_test,
)

RULES: tuple[Rule, ...] = (
    nil_map_write.RULE,
    nested_map_write.RULE,
    nil_map_field.RULE,
    decoded_map_write.RULE,
    map_field_reset.RULE,
    map_field_nil_stores.RULE,
    nil_map_write_under_other_test.RULE,
    nil_map_write_on_some_paths.RULE,
)
