"""Property test: the builders' fixes on generated Go programs parse, are gofmt-clean and vet.

Hypothesis draws batches of small packages: map variables of assorted key and value
types (single, several names, `var (...)` groups with types, values and comments, at
package level and in functions), named map types, struct types with map fields, struct
literals on one or several lines (with trailing comments and multi-line values), `new(T)`
and `var t T`, `= nil` resets, and writes inside `if`, `for`, `switch` and `if` init
statements. gofmt normalises each program first (the builders expect formatted code).
Every builder is applied to every node it fits; each single fix must leave a tree
without ERROR nodes, and per program and builder all fixes that do not overlap are
applied together and checked with one `gofmt -l` and one `go vet` per batch.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import gotool
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from analyzers.fixes import builders as B
from analyzers.fixes.apply import apply_fixes
from analyzers.model import Fix
from analyzers.parsing import parse
from analyzers.source import SourceFile

KEYS = {"string": '"k"', "int": "1", "bool": "true"}
VALUES = {
    "int": "1",
    "string": '"v"',
    "[]byte": "nil",
    "bool": "true",
    "struct{}": "struct{}{}",
    "float64": "1.5",
    "*int": "nil",
    "[]string": "nil",
    "map[string]int": "nil",
}
FIELD_NAMES = ["a", "id", "name", "tags", "labels", "annotations", "x", "counts", "extraLongFieldNameForAlignment"]
OTHER_FIELDS = {"int": "1", "string": '"s"', "func() int": "func() int {\n\treturn 1\n}"}
PROGRAMS_PER_BATCH = 8


@dataclass
class Program:
    """A generated package and what the generator knows about it."""

    text: str
    map_vars: dict[str, str] = field(default_factory=dict)  # variable -> map type text
    targets: dict[str, str] = field(default_factory=dict)  # written map expression -> type
    structs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # type -> map fields


@st.composite
def programs(draw: st.DrawFn) -> Program:
    types = [f"map[{k}]{v}" for k, v in draw(st.lists(st.tuples(st.sampled_from(list(KEYS)), st.sampled_from(list(VALUES))), min_size=1, max_size=3))]
    value_of = {t: VALUES[t.split("]", 1)[1]] for t in types}
    key_of = {t: KEYS[t[4:].split("]", 1)[0]] for t in types}
    decls: list[str] = []
    body: list[str] = []
    uses: list[str] = []
    prog = Program("")
    named = draw(st.integers(0, 2))
    for i in range(named):
        t = draw(st.sampled_from(types))
        decls.append(f"type Set{i} {t}")
        value_of[f"Set{i}"], key_of[f"Set{i}"] = value_of[t], key_of[t]
    all_types = types + [f"Set{i}" for i in range(named)]

    def write(target: str, t: str) -> None:
        prog.targets[target] = t
        stmt = f"{target}[{key_of[t]}] = {value_of[t]}"
        shape = draw(st.sampled_from(["plain", "if", "for", "switch", "init"]))
        body.append(
            {
                "plain": stmt,
                "if": f"if true {{\n{stmt}\n}}",
                "for": f"for i := 0; i < 1; i++ {{\n{stmt}\n}}",
                "switch": f"switch {{\ncase true:\n{stmt}\n}}",
                "init": f"if {stmt}; true {{\n}}",
            }[shape]
        )

    # Struct types with map fields.
    for s in range(draw(st.integers(1, 2))):
        names = draw(st.lists(st.sampled_from(FIELD_NAMES), min_size=1, max_size=5, unique=True))
        fields = []
        map_fields = []
        for n in names:
            if draw(st.booleans()):
                t = draw(st.sampled_from(all_types))
                map_fields.append((n, t))
            else:
                t = draw(st.sampled_from(list(OTHER_FIELDS)))
            fields.append((n, t))
        if not map_fields:
            t = draw(st.sampled_from(all_types))
            map_fields.append(("m", t))
            fields.append(("m", t))
        prog.structs[f"T{s}"] = map_fields
        decls.append(f"type T{s} struct {{\n" + "".join(f"{n} {t}\n" for n, t in fields) + "}")
        types_of = dict(fields)
        # Literals, one per style, and new(T) / var t T.
        for j, style in enumerate(draw(st.lists(st.sampled_from(["one", "multi", "ptr", "new", "var"]), min_size=1, max_size=3))):
            var = f"t{s}_{j}"
            present = draw(st.lists(st.sampled_from([n for n, _ in fields]), unique=True, max_size=len(fields)))
            if style in ("one", "ptr"):
                inner = ", ".join(f"{n}: {_value(types_of[n], one_line=True)}" for n in present)
                body.append(f"{var} := {'&' if style == 'ptr' else ''}T{s}{{{inner}}}")
            elif style == "multi":
                lines = []
                for n in present:
                    comment = " // note" if draw(st.booleans()) else ""
                    lines.append(f"{n}: {_value(types_of[n], one_line=False)},{comment}\n")
                    if draw(st.integers(0, 5)) == 0:
                        lines.append("\n" if draw(st.booleans()) else "// between\n")
                body.append(f"{var} := T{s}{{\n" + "".join(lines) + "}")
            elif style == "new":
                body.append(f"{var} := new(T{s})")
            else:
                body.append(f"var {var} T{s}")
            uses.append(var)
            n, t = draw(st.sampled_from(map_fields))
            write(f"{var}.{n}", t)
    # Package-level variables, alone or in a group.
    group: list[str] = []
    for g in range(draw(st.integers(0, 4))):
        t = draw(st.sampled_from(all_types))
        extra = draw(st.sampled_from(["", "multi", "comment", "docline", "blank", "other", "typed"]))
        name = f"g{g}"
        spec = f"{name} {t}"
        if extra == "multi":
            spec = f"{name}, {name}x {t}"
            prog.map_vars[f"{name}x"] = t
        elif extra == "comment":
            spec += " // note"
        elif extra == "docline":
            group.append("// doc")
        elif extra == "blank":
            group.append("")
        elif extra == "other":
            group.append(f"o{g} = {g}")
        elif extra == "typed":
            group.append(f"o{g} int = {g}")
        group.append(spec)
        prog.map_vars[name] = t
        write(name, t)
    if group:
        if draw(st.booleans()):
            decls.append("var (\n" + "\n".join(group) + "\n)")
        else:
            decls.extend(f"var {line}" for line in group if line and not line.startswith("//"))
    # Locals: single, several names, a group; and a `= nil` reset.
    for i in range(draw(st.integers(0, 3))):
        t = draw(st.sampled_from(all_types))
        name = f"m{i}"
        form = draw(st.sampled_from(["single", "several", "group", "reset"]))
        if form == "single":
            body.insert(0, f"var {name} {t}")
        elif form == "several":
            body.insert(0, f"var {name}, {name}b {t}")
            prog.map_vars[f"{name}b"] = t
            uses.append(f"{name}b")
        elif form == "group":
            body.insert(0, f"var (\n{name} {t}\nn{i} int\nv{i} = {i}\n)")
            uses.extend([f"n{i}", f"v{i}"])
        else:
            body.insert(0, f"{name} := {t}{{}}\n{name} = nil")
        if form != "reset":
            prog.map_vars[name] = t
        uses.append(name)
        write(name, t)
    body.extend(f"_ = {u}" for u in uses)
    prog.text = "package p\n\n" + "\n\n".join(decls) + "\n\nfunc f() {\n" + "\n".join(body) + "\n}\n"
    return prog


def _value(t: str, one_line: bool) -> str:
    if t in OTHER_FIELDS:
        value = OTHER_FIELDS[t]
        return "func() int { return 1 }" if one_line and "\n" in value else value
    return "nil"


def _fixes(file: SourceFile, prog: Program) -> dict[str, list[Fix]]:
    """Every fix each builder offers on the program, by builder name."""
    out: dict[str, list[Fix]] = {}

    def add(kind: str, fix: Fix | None) -> None:
        if fix is not None:
            out.setdefault(kind, []).append(fix)

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        kind = node.type
        if kind == "var_spec":
            for name_node in node.children_by_field_name("name"):
                name = name_node.text.decode()
                if name in prog.map_vars:
                    fix = B.make_at_var_declaration(file, node, name, prog.map_vars[name])
                    assert fix is not None or node.parent.type == "var_spec_list", node.text
                    add("var", fix)
                type_node = node.child_by_field_name("type")
                if type_node is not None and type_node.text.decode() in prog.structs:
                    for f_name, f_type in prog.structs[type_node.text.decode()]:
                        add("init", B.init_after_statement(file, node, f"{name}.{f_name}", f_type))
        elif kind == "composite_literal":
            type_node = node.child_by_field_name("type")
            for f_name, f_type in prog.structs.get(type_node.text.decode() if type_node is not None else "", []):
                add("literal", B.add_field_to_literal(file, node, f_name, f_type))
        elif kind == "short_var_declaration":
            right = node.child_by_field_name("right")
            text = right.text.decode() if right is not None else ""
            if text.startswith("new(") and text[4:-1] in prog.structs:
                name = node.child_by_field_name("left").text.decode()
                for f_name, f_type in prog.structs[text[4:-1]]:
                    add("init", B.init_after_statement(file, node, f"{name}.{f_name}", f_type))
        elif kind == "assignment_statement":
            left = node.child_by_field_name("left").named_children[0]
            right = node.child_by_field_name("right").named_children[0]
            if left.type == "index_expression":
                target = left.child_by_field_name("operand").text.decode()
                if target in prog.targets:
                    fix = B.lazy_guard(file, node, target, prog.targets[target])
                    assert fix is not None, node.text
                    add("guard", fix)
            elif right.type == "nil" and left.text.decode() in prog.targets:
                add("nil", B.make_at_nil_assignment(file, right, prog.targets[left.text.decode()]))
        for child in node.children:
            walk(child)

    walk(file.tree.root_node)
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(programs(), min_size=PROGRAMS_PER_BATCH, max_size=PROGRAMS_PER_BATCH))
def test_fixes_parse_format_and_vet(batch: list[Program]) -> None:
    with tempfile.TemporaryDirectory(prefix="nilmap-prop-") as tmp:
        root = Path(tmp)
        raw = {f"raw/p{i}/p.go": prog.text.encode() for i, prog in enumerate(batch)}
        gotool.write_module(root, raw)
        code, err = gotool.gofmt_w(root)
        assert code == 0, f"generator wrote invalid Go: {err}"
        fixed: dict[str, bytes] = {}
        originals: dict[str, bytes] = {}
        for i, prog in enumerate(batch):
            source = (root / f"raw/p{i}/p.go").read_bytes()
            file = SourceFile("p.go", source)
            assert not file.tree.root_node.has_error
            for kind, fixes in _fixes(file, prog).items():
                event(f"builder: {kind}")
                for fix in fixes:
                    single, _ = apply_fixes(source, [fix])
                    assert not parse(single).root_node.has_error, f"{fix.title}\n{single.decode()}"
                combined, _ = apply_fixes(source, fixes)
                fixed[f"fixed/p{i}_{kind}/p.go"] = combined
                originals[f"fixed/p{i}_{kind}/p.go"] = source
        gotool.write_module(root, fixed)
        unformatted = gotool.gofmt_l(root / "fixed")
        assert not unformatted, _explain(unformatted, fixed, originals, "fixed/")
        code, output = gotool.go_vet(root, "./...")
        assert code == 0, output + _explain([line.split(":")[0] for line in output.splitlines() if ".go:" in line], fixed, originals, "")


def _explain(paths: list[str], fixed: dict[str, bytes], originals: dict[str, bytes], prefix: str) -> str:
    parts = []
    for path in paths[:2]:
        key = path if path in fixed else prefix + path.removeprefix("./")
        if key in fixed:
            parts.append(f"\n--- {key} before ---\n{originals[key].decode()}\n--- after ---\n{fixed[key].decode()}")
    return f"{paths}" + "".join(parts)
