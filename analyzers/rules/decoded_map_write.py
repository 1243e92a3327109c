"""NM004 unguarded-decoded-map-write: a write into a map field of a decoded or fetched value.

## What it does
Checks for writes into a map field of a value the function did not build — a parameter or
receiver, a range variable over such a value's collection (also once its elements were
collected into a local slice or map and ranged back out), a call result (`GetAnnotations()`),
a value received from a channel of tagged structs (`delta := <-deltaCh`, a message a reader
goroutine decoded), an object a client-go typed client returns
(`cs.CoreV1().ConfigMaps(ns).Get(...)`, `Get` on a `v1.ConfigMapInterface`; its type is known
where the file imports the object's API package), or a decode target
(`json.Unmarshal(data, &cfg)`, `r.Get(ctx, key, obj)`) — where the field
is one that decoding leaves nil when its key is absent, with no nil guard on the way.
Such a map handed to a function or method of the package that writes the map parameter it is
handed (`mergeMap(target.Annotations, desired.Annotations)`) is reported at the call, as a
nil map handed to it is: the callee sees only a map and cannot know it may be nil; its
conditions for the write (`desired` not empty) are the call's to meet.
A field of a receiver or parameter that holds a decoded struct is that decoded value
(`o.config.Comments`, with `config *config.Config` loaded from a file), and a struct of another
package of the module counts as decoded where that package's own code decodes it (its loader's
`json.Unmarshal(data, &c)`) or this package does.
Such fields are the map fields of same-package structs with a `json`, `yaml`, `toml`, `hcl`,
`mapstructure`, `protobuf`, `xml` or `bson` tag, and well-known API fields of other
packages' types (and of the project's own custom resources, which embed `metav1.ObjectMeta`,
or whose `Labels` or `Annotations` map is encoded under the key `labels` or `annotations`,
wherever they live):
Kubernetes object `Labels` and `Annotations`, `ConfigMap.Data` and
`BinaryData`, `Secret.Data` and `StringData`, resource `Requests` and `Limits`, pod
`NodeSelector`. A decode target whose type is in a module that is not in the tree (a
dependency nilmap cannot read: `var msg wrp.Message`, filled by `dec.Decode(&msg)`) has
fields of unknown types; one written with a string constant for key (`msg.Metadata["k"] =
v`) is a map, as nothing else can be indexed by a string, and decoding leaves it nil as it
does the package's own. `maps.Clone` of such a field is as nil as the field, and so is the field of a
generated `DeepCopy()` of the object (`a.DeepCopy().Annotations`). A func literal handed to a
function of the package gets the maps that function passes it: `f(annotations)` with a
decoded `annotations` makes the literal's map parameter decoded too. A map handed to a YAML
decoder that goes through JSON (`github.com/ghodss/yaml`, `sigs.k8s.io/yaml`) is nil where
the decoder succeeded on an empty or comment-only document (JSON `null`), even a made one,
and so is a same-package function's result that returns it with a nil error. A struct a
same-package function or method decodes and returns with a nil error (`sv, err :=
c.makeVariable(path)`, which `json.Unmarshal`s into `out` and returns it) keeps the decoded
value's nil maps, whatever its other paths return. A decoded map handed to a same-package
function that writes the map it is handed (`put(cfg.Labels, k)`, `cfg.Counts =
add(cfg.Counts, k)`, `fill(&cfg.Labels)`) is reported at the call: that function cannot know
the map was decoded.

## Why is this bad?
A YAML or JSON document without the key, or an API object fetched without annotations,
decodes to a nil map, and the first write panics with `assignment to entry in nil map`.
The code works in every test whose input has the key, and crashes in production on the
first object that lacks it — the reconcile loop writing `obj.Annotations[k]` right after a
`Get` is the textbook case.

## Example
```go
func (r *Reconciler) mark(ctx context.Context, key client.ObjectKey) error {
	var pod corev1.Pod
	if err := r.Get(ctx, key, &pod); err != nil {
		return err
	}
	pod.Annotations["seen"] = "true"
	return r.Update(ctx, &pod)
}
```

Use instead:
```go
	if pod.Annotations == nil {
		pod.Annotations = make(map[string]string)
	}
	pod.Annotations["seen"] = "true"
```

## Fix safety
The fix inserts the lazy guard before the write; it is safe.

## Known problems
**Opt-in.** The rule runs only when selected (`--select NM004`, `select = ["NM"]` in
`nilmap.toml`, or `"rules": {"NM004": {"enabled": true}}` in the editor): on real code it
has not reached the precision a default rule must have. Its measured precision on real
code (benchmarks/corpus, 2026-12-03: every NM004 finding judged in the corpus ledger since the
corpus was made, on the tune split and on the held-back parts revealed once; 36 repositories
and Debian's Go sources) is 13 real of 386 (3.4%): 366 false, 7 unsure; on the held-back
parts alone, 1 real of 173. Each finding counts once, as the engine of its day reported it,
so false alarms the engine no longer reports (107 of descheduler's callbacks, 14 of
argo-cd's) stay in the figure. The false alarms, by what makes the write safe
(`benchmarks/corpus/false_alarm_kinds.md`): a helper or a test's factory that builds the
object with the map before handing it to a callback (181); a source that always carries the
key, which the code cannot tell (a test fetching back what it created, an operator's own
ConfigMap or Secret, an admission webhook's defaults: 84); a parameter whose every caller
passes the map made (75); a value read from the map that proves it made (11); a range over
an empty collection (6); and 9 others (a decode of a string literal that holds the key, a
`len(m) == 0` guard, a range copy's nil test, a tagged type nothing decodes).

Whether the input can lack the key is not known: the rule warns wherever the code does not
guard. A field of another package of the module, in a value handed in (a parameter, a
receiver's field), is not reported when that package makes it somewhere (its loader's lazy
make after decoding); stores are told apart by the field's name
only in the package that declares it, so a make into an Ingress's annotations says nothing of
a StackSet's (both `metav1.ObjectMeta`'s). When the value handed in is a third package's
struct holding that field's owner (`p.Spec.Resources.Requests` of a `spec.Prometheus`, with
`Resources` a `v1.ResourceRequirements`), the package of the value is the one asked: the
owner's package makes the map for its own objects only (its pod defaults) and never sees
this one. A struct such a decoded value holds under a decoding key is decoded with it. A same-package struct's field is not reported when the package makes it somewhere (a
lazy guard, or a make into a value the code was handed: a defaults or validation step may run
before this function; for a method of the type, also a constructor that builds it with the
map; for a value received from a channel too, as the package may have sent one it built),
unless the writing function declared the value itself and decoded into it (`var cfg T;
json.Unmarshal(data, &cfg)`), where no such step can run and the function's own makes are
followed path by path; nor is it reported when the value is handed to other code first
(which may fill it); a method of the package that only reads its receiver is not such code,
nor is an argument-less method of another package of the module that stores nothing into its
receiver (`is.Empty()`), a function of the package that only ranges over or deletes from the
maps of the pointer it is handed, or the standard library's printers
(`log.Printf("%v", is.Attributes)`). A copy of the same
field (`Users: copyMap(pl.Users)`, `maps.Clone(x.Labels)`), a `nil`, or a make into a value
built on another path (`out := new(T); out.Items = make(...); return out`) makes nothing.
A parameter of an unexported function or method is not reported when every call of it in the
package passes the field made (a literal with the map, a constructor or method of the package
that builds it, a guard before the call, a helper that returns the map made or an error the
caller returns on, or callers of the caller that do); a helper that only writes into the field
leaves it as it was, and one that succeeds only after finding a key in it (its other exits
return a new error) proves it made past the caller's error check; a function handed
on as a value has callers nobody sees, and an exported one has callers elsewhere: those keep
their findings. A func literal passed to a function (or method) of the package gets what
that function passes where it calls it (`modify(d)`, `for _, fn := range funcs { fn(d) }`,
`opts[i](cm, s)` of a variadic list, also once the list is handed on whole to another
function of the package, `build(t, opts...)`): an object it built with the map, or a
collection whose every stored element was, is not reported (a one-argument `opts[i](cm)`,
which the parser reads as a generic type conversion, leaves the list unknown); its own parameter is settled by the call that passes the literal. A literal
handed to a function of another package of the module gets what that function passes it, as
far as its text tells: a local it builds once from a struct literal and hands over without
storing into it, with the maps that literal makes (`test.BuildTestNode(name, ...,
func(n *v1.Node) { n.Labels[k] = v })`, whose Node literal makes `Labels`). A literal handed
to any other package's function, or to one that stores or hands on its func parameter,
keeps its finding.

## References
- [encoding/json: Unmarshal](https://pkg.go.dev/encoding/json#Unmarshal) ("a nil map is left nil when the key is absent")
- [Go maps in action](https://go.dev/blog/maps)
"""
from __future__ import annotations

from collections.abc import Callable

from tree_sitter import Node

from analyzers.field_stores import FieldStores
from analyzers.fixes.builders import lazy_guard
from analyzers.fixes.for_writes import usable_type, written_expression
from analyzers.flow.analysis import analyze
from analyzers.flow.callbacks import callback_made
from analyzers.flow.callers import CallerIndex, function_at, made_by_every_caller, parameter_position
from analyzers.flow.events import WriteEvent
from analyzers.flow.paths import FIELD, Local
from analyzers.flow.summaries import PackageFlow
from analyzers.flow.syntax import children, strip
from analyzers.flow.types import pointee, strip_parens
from analyzers.flow.values import DEEP_COPIED, EXTERNAL, NIL, OriginKind
from analyzers.model import Diagnostic, Fix, Related, Severity, Span
from analyzers.module import ForeignPackage
from analyzers.parsing import text
from analyzers.rule import Pass, Rule
from analyzers.rules._decoded_here import decoded_into_own_variable
from analyzers.rules._messages import described
from analyzers.source import SourceFile


def run(pass_: Pass) -> None:
    flow = pass_.result_of("flow", analyze)
    callers = _Callers(pass_, flow.flow)
    stores = FieldStores(pass_.package.files)
    for event in flow.events:
        val = event.val
        if not val.bits & EXTERNAL or val.bits & NIL or val.external is None:
            continue
        if event.via_method and not _writes_handed_map(event):
            continue  # the callee's own write is reported, with its receiver or parameter as the source
        if not decoded_into_own_variable(pass_.file(event.path), event.target_path[0], val.external) and _managed_by_package(
            flow.flow, stores, event
        ):
            continue
        if callers.made_for(event):
            continue
        source = val.external
        field = event.target.rsplit(".", 1)[-1]
        condition = source.condition or f"the input has no `{field}`"
        message = f"`{event.target}` is nil when {condition} ({described(pass_, source)})"
        if event.via_method:
            message = f"call of `{event.via_method}` writes to `{event.target}`, which is nil when {condition} ({described(pass_, source)})"
        related = (Related(source.path, Span(source.start, source.end), f"`{event.target}` comes from here"),)
        pass_.report(
            Diagnostic(
                RULE.code,
                message,
                event.path,
                Span(event.node.start_byte, event.node.end_byte),
                RULE.severity,
                _fixes(pass_, event),
                related,
            )
        )


def _writes_handed_map(event: WriteEvent) -> bool:
    """Whether a call's write is into the map it is handed itself (`mergeMap(t.Labels, d)`
    with `mergeMap` writing its map parameter, `fill(&cfg.Labels)` writing through the
    pointer): the callee sees a map parameter, which it cannot know to be decoded, so the
    write is reported at the call or nowhere. A callee reaching the map through a field of
    what it is handed (`addTeam(&cfg)`, a method on `cfg`) reports its own write."""
    callee = event.callee
    return callee is not None and not event.by_option and all(step[0] != FIELD for step in callee.target_path[1:])


def _managed_by_package(flow, stores: FieldStores, event: WriteEvent) -> bool:
    """A same-package field the package makes somewhere is left to that code (see Known problems)."""
    if len(event.target_path) < 2 or event.target_path[-1][0] != "f":
        return False
    if flow.types.struct_name(event.owner_type) is None:
        return False
    field = event.target_path[-1][1]
    handed_in = event.val.external is not None and event.val.external.kind in (OriginKind.PARAMETER, OriginKind.RECEIVER)
    if not _field_of_package(flow, event.owner_type, field):
        # Another package's field: the package that declares it tells its fields apart. Its
        # makes run on values that came through its code (a loader's), so on values handed in,
        # never on one this function decoded or received itself.
        if not handed_in:
            return False
        loader = _other_loader(flow, event)
        if loader is not None:
            return field in loader.made_fields
        return flow.types.made_by_its_package(event.owner_type, field)
    # For a method of the type itself, a constructor that builds the value with the map counts
    # too; so it does for a message received from a channel, which the package may have built.
    built = event.val.external is not None and event.val.external.kind in (OriginKind.RECEIVER, OriginKind.RECEIVED)
    return stores.manages(field, constructors=built)


def _other_loader(flow, event: WriteEvent) -> ForeignPackage | None:
    """The package of the value handed in, when it is a struct of a third package holding
    the written field's owner by value (`p.Spec.Resources.Requests` of a `spec.Prometheus`,
    `Resources` a `v1.ResourceRequirements`): that package's code is what loads and
    normalises the value; the owner's package never sees it, so its makes (defaults for its
    own objects) do not run on it."""
    root = strip_parens(pointee(event.root_type))
    owner = strip_parens(pointee(event.owner_type))
    if "." not in root or "." not in owner or flow.types.struct_of(root) is None:
        return None
    root_package = flow.types.foreign(root.partition(".")[0])
    owner_package = flow.types.foreign(owner.partition(".")[0])
    if root_package is None or owner_package is None or root_package.import_path == owner_package.import_path:
        return None
    return root_package


def _field_of_package(flow, owner_type: str, field: str) -> bool:
    """Whether the stores of `field` the package makes can be stores of this owner's field: a
    field a struct of this package declares. Stores are matched by the field's name, which
    tells one field apart only within the package that declares it: another package's field
    (`Annotations` of `metav1.ObjectMeta`, read or not, embedded by every API object) is shared
    by every type that embeds it, and a make into an Ingress's annotations makes no StackSet's."""
    declaring = flow.types.declaring_struct(owner_type, field)
    return declaring is not None and flow.package.struct_of(declaring.name) is declaring


class _Callers:
    """Whether the callers of an unexported function all pass a parameter's field made (one
    answer per parameter and field, for the events of one package)."""

    def __init__(self, pass_: Pass, flow: PackageFlow) -> None:
        self.pass_ = pass_
        self.flow = flow
        self.index = CallerIndex(pass_.package.files)
        self.answers: dict[tuple, bool] = {}

    def made_for(self, event: WriteEvent) -> bool:
        """Whether the written field of a parameter is made by every call (so not nil here)."""
        source = event.val.external
        if source is None or source.kind is not OriginKind.PARAMETER or source.path not in self.pass_.package.files:
            return False
        file = self.pass_.file(source.path)
        function = function_at(file, source.start)
        root = event.target_path[0]
        if function is None or not isinstance(root, Local):
            return False
        name = file.source[source.start : source.end].decode()
        # A deep copy of the parameter (`cp := cm.DeepCopy()`) holds what the parameter does.
        if root.key != f"{name}@{source.start}" and not source.description.endswith(DEEP_COPIED):
            # Written through another value than the parameter: for a callback's, an element
            # it ranges over is settled by what the code that calls it stores; else nothing is.
            element = parameter_position(function, source.start) is None and _ranged_element_of(file, root, name)
            return element and self._settled(("elements", source.path, source.start, event.target_path[1:]), lambda: callback_made(
                self.flow, self.index, file, source.start, event.target_path[1:], elements=True))
        position = parameter_position(function, source.start)
        if position is None:  # a func literal's parameter: what the code that calls it passes
            return self._settled(("callback", source.path, source.start, event.target_path[1:]), lambda: callback_made(
                self.flow, self.index, file, source.start, event.target_path[1:]))
        return self._settled((source.path, function.start_byte, position, event.target_path[1:]), lambda: made_by_every_caller(
            self.flow, self.index, file, function, position, event.target_path[1:]))

    def _settled(self, key: tuple, answer: Callable[[], bool]) -> bool:
        """The answer for `key`, worked out once."""
        if key not in self.answers:
            try:
                self.answers[key] = answer()
            except RecursionError:
                self.answers[key] = False
        return self.answers[key]


def _ranged_element_of(file: SourceFile, root: Local, collection: str) -> bool:
    """Whether the local `root` is the value variable of `for _, v := range collection`."""
    start = int(root.key.rsplit("@", 1)[1])
    node = file.tree.root_node.descendant_for_byte_range(start, start)
    left = node.parent if node is not None else None
    clause = left.parent if left is not None else None
    if left is None or clause is None or clause.type != "range_clause" or clause.child_by_field_name("left") != left:
        return False
    names = children(left)
    right = strip(clause.child_by_field_name("right"))
    return len(names) == 2 and names[1] == node and right is not None and right.type == "identifier" and text(right) == collection


def _fixes(pass_: Pass, event: WriteEvent) -> tuple[Fix, ...]:
    expression = _handed_argument(event) if event.via_method else written_expression(event)
    # Other packages' types are unknown here; the well-known table knows some of their maps' types.
    map_type = usable_type(event, pass_.file(event.path)) or (event.val.external.type_name if event.val.external is not None else "")
    # A map handed to a function that writes it is guarded under the name the call hands it by.
    written = text(expression) if expression is not None else event.target if _writes_handed_map(event) else ""
    if not written or not map_type or event.through_map_element:
        return ()
    fix = lazy_guard(pass_.file(event.path), event.statement, written, map_type)
    return (fix,) if fix is not None else ()


def _handed_argument(event: WriteEvent) -> Node | None:
    """The argument of the call that is the written map (`target.Labels` of `mergeMap(target.Labels, d)`)."""
    arguments = event.node.child_by_field_name("arguments") if event.node.type == "call_expression" else None
    for argument in children(arguments) if arguments is not None else []:
        inner = strip(argument)
        if inner is not None and text(inner) == event.target:
            return inner
    return None


RULE = Rule(
    code="NM004",
    name="unguarded-decoded-map-write",
    title="write into a map field that decoding may leave nil",
    severity=Severity.WARNING,
    since="0.1.0",
    fix_availability="always",
    default_enabled=False,  # opt-in until it is right 19 times in 20 on real code (Known problems)
    doc=__doc__ or "",
    run=run,
)
