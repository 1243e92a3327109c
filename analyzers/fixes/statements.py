"""Fixes that add a statement: `t.f = make(...)` after a construction, or a lazy
`if m == nil { m = make(...) }` guard before a write."""
from __future__ import annotations

from tree_sitter import Node

from analyzers.fixes.declarations import make_call
from analyzers.fixes.layout import indentation, line_end, line_start, starts_line
from analyzers.model import Applicability, Edit, Fix
from analyzers.source import SourceFile

# Statements with an init statement that runs once before the statement itself, so a
# guard put before the whole statement runs before the write too.
_HAS_INITIALIZER = frozenset({"if_statement", "expression_switch_statement", "type_switch_statement"})
_LABELLABLE = frozenset({"for_statement", "expression_switch_statement", "type_switch_statement", "select_statement"})


def _in_statement_list(node: Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type in ("statement_list", "block", "labeled_statement")


def init_after_statement(
    file: SourceFile,
    stmt: Node,
    target: str,
    map_type: str,
    applicability: Applicability = Applicability.SAFE,
) -> Fix | None:
    """After `t := new(T)` or `var t T`, add `t.field = make(...)` on the next line.

    No fix when the statement is not in a statement list (an `if` init statement, a
    package-level `var`), because no statement can follow it there, or when other code
    follows it on its line.
    """
    source = file.source
    if stmt.type == "var_spec":
        # The statement is the whole declaration, also for a spec in a `var (...)` group.
        decl = stmt.parent
        if decl is not None and decl.type == "var_spec_list":
            decl = decl.parent
        if decl is None or decl.type != "var_declaration":
            return None
        stmt = decl
    if not _in_statement_list(stmt) or not starts_line(source, stmt):
        return None
    end = line_end(source, stmt.end_byte)
    rest = source[stmt.end_byte : end].strip(b" \t\r")
    if rest and not rest.startswith(b"//"):
        return None
    indent = indentation(source, stmt.start_byte)
    made = make_call(map_type)
    return Fix(
        title=f"Initialize `{target}` with `{made}`",
        edits=(Edit(end, end, f"\n{indent}{target} = {made}"),),
        applicability=applicability,
    )


def lazy_guard(
    file: SourceFile,
    write_stmt: Node,
    target: str,
    map_type: str,
    applicability: Applicability = Applicability.SAFE,
    outer: tuple[str, str] | None = None,
) -> Fix | None:
    """Before the statement that writes, add `if target == nil { target = make(...) }`; with
    `outer` (the map `target` is read from, and its type), the same for it first.

    A write that is the init statement of an `if`/`switch` or the init of a `for` clause
    gets the guard before the whole statement (and before its label). No fix for the
    post statement of a `for` clause or the init of an `else if`, because no statement
    can go right before them, nor for a write that shares its line with other code.
    """
    source = file.source
    anchor = _guard_anchor(write_stmt)
    if anchor is None or not starts_line(source, anchor):
        return None
    indent = indentation(source, anchor.start_byte)
    insert_at = line_start(source, anchor.start_byte)
    parent = anchor.parent
    if parent is not None and parent.type == "labeled_statement" and anchor.type in _LABELLABLE:
        # `L: for ... {`: the label must stay on the loop for `break L` / `continue L`.
        if not starts_line(source, parent):
            return None
        insert_at = line_start(source, parent.start_byte)
    guarded = [outer, (target, map_type)] if outer is not None else [(target, map_type)]
    guards = "".join(f"{indent}if {t} == nil {{\n{indent}\t{t} = {make_call(m)}\n{indent}}}\n" for t, m in guarded)
    title = " and ".join(f"`if {t} == nil`" for t, _ in guarded)
    return Fix(
        title=f"Add {title} guard{'s' if outer is not None else ''}",
        edits=(Edit(insert_at, insert_at, guards),),
        applicability=applicability,
    )


def _guard_anchor(stmt: Node) -> Node | None:
    """The statement before which a guard for `stmt` runs first, or None."""
    parent = stmt.parent
    if parent is None:
        return None
    if _in_statement_list(stmt):
        return stmt
    if parent.type in _HAS_INITIALIZER and parent.child_by_field_name("initializer") == stmt:
        grand = parent.parent
        if parent.type == "if_statement" and grand is not None and grand.type == "if_statement":
            return None  # `else if x; ...`
        return parent if _in_statement_list(parent) else None
    if parent.type == "for_clause" and parent.child_by_field_name("initializer") == stmt:
        loop = parent.parent
        return loop if loop is not None and _in_statement_list(loop) else None
    return None
