"""NM006 map-field-only-stored-nil: a method writes a map field that every store of the package leaves nil.

## What it does
Checks for an unguarded write by a method into a map field of its receiver (`s.handlers[p] =
h`) where the package stores into that field only nil: `s.handlers = nil`, or a copy of
another struct's map field that no code of the package sets and no decoder fills
(`s.handlers = cfg.UserHandlers`, with `UserHandlers` tagged `json:"-"` and set nowhere in
the package), or a copy of a map that decoding leaves nil, as the flow of the storing function
knows it (`s.data = cm.Data`, `cm` fetched by a client-go typed client's `Get`: nil for a
ConfigMap without data). Constructions that leave the field out leave it nil too. Nothing in the
package makes the map, so it is nil unless a caller in another package happened to set the
field it is copied from.

The facts are per field, not per value: every store of the package is looked at, whichever
value it is made on.

## Why is this bad?
A map field filled from an optional setting (`cfg.UserHandlers`) is nil whenever the setting
is not given, which is the default, and the method that adds to it (`registerPprof` adding
its handlers) panics with `assignment to entry in nil map` as soon as the feature is turned
on without the setting.

## Example
```go
type Config struct {
	UserHandlers map[string]http.Handler `json:"-"`
}

func startListener(cfg *Config) *serveCtx {
	sctx := &serveCtx{}
	sctx.userHandlers = cfg.UserHandlers
	return sctx
}

func (s *serveCtx) registerPprof() {
	s.userHandlers["/debug/pprof/"] = http.HandlerFunc(pprof.Index)
}
```

Use instead:
```go
func (s *serveCtx) registerPprof() {
	if s.userHandlers == nil {
		s.userHandlers = make(map[string]http.Handler)
	}
	s.userHandlers["/debug/pprof/"] = http.HandlerFunc(pprof.Index)
}
```

## Fix safety
The fix inserts the lazy guard before the write; it is safe. Writing into a map copied from
a caller's setting also changes the caller's map; copying it (`maps.Clone`) may be what the
code means, which the fix does not decide.

## Known problems
**Opt-in.** The rule runs only when selected (`--select NM006`, or `select = ["NM"]`).
Callers in other packages may always set the exported field the map is copied from, which
the package cannot see; a field is matched by its name, so a store into a field of the same
name of another struct counts as a store. Its measured precision on real code
(benchmarks/corpus, 2026-12-03: every NM006 finding judged in the corpus ledger, on the tune
split and on the held-back parts revealed once) is 0 real of 2: both false, in one repository
(dolt: the nil path ends in a helper of another package of the module that always panics);
too few findings to say more.

## References
- [The Go Programming Language Specification: The zero value](https://go.dev/ref/spec#The_zero_value)
- [Go maps in action](https://go.dev/blog/maps)
"""
from __future__ import annotations

import re

from analyzers.fixes.builders import lazy_guard
from analyzers.fixes.for_writes import usable_type, written_expression
from analyzers.flow.analysis import analyze
from analyzers.flow.decoded import decoding_tag
from analyzers.flow.events import WriteEvent
from analyzers.flow.types import TypeView, pointee
from analyzers.gotext import field_set_pattern
from analyzers.gotext import name as name_pattern
from analyzers.model import Diagnostic, Related, Severity, Span
from analyzers.parsing import text
from analyzers.rule import Pass, Rule
from analyzers.rules._messages import described
from analyzers.rules._stored_values import decoded_copy
from analyzers.source import SourceFile

# What a store `x.f = <value>` or a literal key `f: <value>` puts into a field: the value's
# text. The pattern starts with the name and tests the byte before it after it (the `.`, or
# what precedes a key), as `gotext.after_no` does: one that starts with `[{,\s]` is tried at
# every blank of the file, for every map field of the package.
_STORED = rb"(?:(?<=\.%s)\s*=(?!=)|(?<=[{,\s]%s)\s*:)\s*([^\n,;}]+)"
# An address taken of a selector (`&x.y.f`): listed once per file, then searched per field.
_ADDRESS = re.compile(rb"&[\w\x80-\xff.]+")
# A copy of another value's field: `cfg.UserHandlers`, `o.opts.Handlers`.
# How a copy of a map decoding leaves nil is described among the stores.
_DECODED_COPY = "a copy of "
_FIELD_COPY = re.compile(r"^[A-Za-z_][\w.]*\.([A-Za-z_]\w*)$")


def run(pass_: Pass) -> None:
    flow = pass_.result_of("flow", analyze).flow
    files = list(pass_.package.files.values())
    for type_name in sorted(flow.structs_with_maps):
        for field_name in flow.types.map_fields(type_name):
            stores = _stores(files, field_name)
            if not stores:
                continue  # never set at all: NM003's (an unexported field), or a decoder's
            copied = [_never_set_source(flow.types, files, value) for _, _, value in stores]
            if any(source is None for source in copied):
                # A copy of a map decoding leaves nil (`cs.data = cm.Data`, `cm` fetched) is nil too.
                fetched = [_decoded_source(pass_, flow, file, offset, value) if source is None else source for (file, offset, value), source in zip(stores, copied, strict=True)]
                if any(source is None for source in fetched):
                    continue
                copied = fetched
            for write in _method_writes(flow, type_name, field_name):
                _report(pass_, write, type_name, field_name, stores, [s for s in copied if s])


def _decoded_source(pass_: Pass, flow, file: SourceFile, offset: int, value: str) -> str | None:
    """For a store of a copy of a map that decoding leaves nil: "a copy of `cm.Data`, nil when
    the object has no data (fetched by `c.Get`)"; None for anything else."""
    if _FIELD_COPY.match(value) is None:
        return None
    origin = decoded_copy(flow, file, offset)
    if origin is None:
        return None
    return f"{_DECODED_COPY}`{value}`, nil when {origin.condition or 'the input lacks it'} ({described(pass_, origin)})"



def _stores(files: list[SourceFile], field_name: str) -> list[tuple[SourceFile, int, str]]:
    """Every store into a field of this name: (file, offset, the stored value's text); an
    address taken (`&x.f`) stores anything, so it is given as the value `&`."""
    word = field_name.encode()
    literal = re.escape(word)
    pattern = re.compile(name_pattern(field_name) + _STORED % (literal, literal))
    # `&x.f` is `&`, a selector's bytes, then `.f` at a name's end: its byte before the name is
    # one of them, so the rest of an address is searched for `<byte>.f` from its second byte.
    address = re.compile(rb"[\w\x80-\xff.]\." + name_pattern(field_name))
    found: list[tuple[SourceFile, int, str]] = []
    for file in files:
        if word not in file.source:
            continue  # both patterns hold the name: a fast scan spares the slow ones a file without it
        # (a store is placed at the byte before the name, where the match used to start)
        found.extend((file, m.start() - 1, m.group(1).decode(errors="replace").strip()) for m in pattern.finditer(file.source))
        found.extend((file, start, "&") for start, taken in _addresses(file) if word in taken and address.search(taken, 1))
    return found


def _addresses(file: SourceFile) -> list[tuple[int, bytes]]:
    """Where the file takes the address of a name or selector (`&x.y.f`), with its text: one
    scan of the file for all its map fields, kept with the file."""
    found = file.memo.get("addresses-taken")
    if found is None:
        found = file.memo["addresses-taken"] = [(m.start(), m.group()) for m in _ADDRESS.finditer(file.source)]
    return found


def _never_set_source(types: TypeView, files: list[SourceFile], value: str) -> str | None:
    """For a stored value that is nil: "" for `nil`, the copied field's name for a copy of a
    map field no code sets and no decoder fills; None for anything else."""
    if value == "nil":
        return ""
    match = _FIELD_COPY.match(value)
    if match is None:
        return None
    source = match.group(1)
    pattern, word = field_set_pattern(source, literals=True, addresses=True), source.encode()
    if any(word in f.source and pattern.search(f.source) for f in files):
        return None
    declared = [f for struct in types.package.structs.values() for f in struct.fields if f.name == source]
    if not declared or any(not types.is_map(f.type_text) or decoding_tag(f.tag) is not None for f in declared):
        return None  # another package's field, not a map, or one a decoder may fill
    return source


def _method_writes(flow, type_name: str, field_name: str) -> list[WriteEvent]:
    """The unguarded writes of the type's methods into the field, as it came in."""
    writes = []
    for (receiver, method) in sorted(flow.package.methods):
        if receiver != type_name:
            continue
        summary = flow.method_summary(pointee(receiver), method)
        write = summary.writes.get((("f", field_name),)) if summary is not None else None
        if write is not None:
            writes.append(write)
    return writes


def _report(pass_: Pass, write: WriteEvent, type_name: str, field_name: str, stores: list, copied: list[str]) -> None:
    file, offset, _ = stores[0]
    line = file.lines.line_of(offset) + 1
    sources = sorted(s for s in set(copied) if not s.startswith(_DECODED_COPY))
    what = f"nil or a copy of {', '.join(f'`{s}`' for s in sources)}, which no code of the package sets" if sources else "nil"
    what += "".join(f" or {s}" for s in sorted(set(copied)) if s.startswith(_DECODED_COPY))
    message = f"write to map field `{write.target}` that may be nil: every store into `{type_name}.{field_name}` in the package is {what}"
    expression = written_expression(write)
    map_type = usable_type(write, pass_.file(write.path))
    guard = lazy_guard(pass_.file(write.path), write.statement, text(expression), map_type) if expression is not None and map_type else None
    related = tuple(Related(f.path, Span(o, o + 1), f"`{field_name}` stored here") for f, o, _ in stores[:5])
    pass_.report(
        Diagnostic(
            RULE.code,
            f"{message} ({file.path.rsplit('/', 1)[-1]}:{line})",
            write.path,
            Span(write.node.start_byte, write.node.end_byte),
            Severity.WARNING,
            (guard,) if guard is not None else (),
            related,
        )
    )


RULE = Rule(
    code="NM006",
    name="map-field-only-stored-nil",
    title="map field written that every store of the package leaves nil",
    severity=Severity.WARNING,
    since="0.1.0",
    fix_availability="sometimes",
    default_enabled=False,
    doc=__doc__ or "",
    run=run,
)
