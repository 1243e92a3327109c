"""NM008 nil-map-write-on-some-paths: a write to a map that is nil on some paths to it, made on others.

## What it does
Checks for the writes of NM001's and NM002's kind whose map is nil on some paths only, or
whose write runs only on some paths of a callee. NM001 and NM002 report a map that is nil
on every path to a write that runs; this rule reports the rest:

- a map made on some paths and left nil on others (`var m map[K]V; if ok { m = make(...) }`
  then `m[k] = v`), with the condition under which it stays nil where nilmap can name it;
- a map returned nil by a function of the package on some of its paths
  (`if x == nil { return nil }`), written without a check;
- a map a decoder fills only when it succeeds, written where its error is tolerated
  (`os.IsNotExist(err)`, logged), and `m, err := f()` written past a logged error, where
  `f` returns `nil, err`;
- `nil` handed to a function of the package that writes that parameter only under
  conditions the call leaves open (a `switch` on another argument), reported at the call and
  at the write inside the callee;
- a map nothing is known of that the code itself says may be nil: written, then compared
  with nil with no store between (`op.Vars[k] = v` ... `if op.Vars != nil`: either the
  comparison is dead or the write panics, as staticcheck's SA5011 says of pointers), or
  lazily guarded through the pointer instead of the map (`if p == nil` before
  `(*p)[k] = v`);
- a map field the code finds empty (`len(l.vals) == 0`, or the `default` of a `switch`
  past `case len(l.vals) != 0`) and then writes, where literals of the package build the
  struct without that field (`variable{uids: u}`, so `vals` nil): the write runs exactly when
  the map is empty, as every value those literals build is; also through the map element or
  range element the value was copied from (`l, ok := done[k]`, then `done[k].vals[0] = v`).
  The fix makes the map in those literals;
- an inner map (`m[a][b] = v`) absent on some paths only.

## Why is this bad?
On the paths that leave the map nil, the write panics with `assignment to entry in nil map`.

## Example
```go
func labels(ok bool, name string) map[string]string {
	var out map[string]string
	if ok {
		out = make(map[string]string)
	}
	out["name"] = name
	return out
}
```

Use instead:
```go
func labels(ok bool, name string) map[string]string {
	out := make(map[string]string)
	out["name"] = name
	return out
}
```

## Fix safety
The fixes are those of NM001 (the make at the declaration, or the lazy guard before the
write) and NM002 (the lazy inner-map guard); see those rules. For a map found empty, the
first fix adds the make to every literal of the package that leaves the field out (one fix,
in every file that holds one); it is unsafe where the package compares the field with nil,
as those comparisons would change.

## Known problems
Conditions are read by their text: a map made under `if c` and written under the same
`if c` (or `for c`, or `range x` after `len(x) > 0`) is understood, but one written under a
correlated, differently written condition is reported. A flag assigned a constant on the
paths that leave a map nil (`if c { all = true; m = nil }`; a string or an integer too:
`mode` still "" where the map was not made) tells where the map is nil, through later loop
rounds, `continue` and closures the loop calls, and past the loop, until the flag is assigned
again; a flag set by a call is not followed. A `switch` whose cases name every constant the package declares of
the tag's type, its zero value among them, is taken to run a case whatever the value. Maps
made together under one `if a == nil` are taken to be nil together, and a nil known only
from a nil check of a value nilmap cannot follow is reported inside that branch only. A
write that runs only inside another branch or loop entered since the skipped make is
NM007's.

**Opt-in.** The rule runs only when selected (`--select NM008`, or `select = ["NM"]`): on
real code it has not reached the precision a default rule must have. Whether the nil path
can run at all usually depends on what the code around it guarantees and nilmap cannot see:
a function that returns nil only for a context or an option its callers never pass, a
callee that writes only for event kinds the caller never sends, a nil check kept for
safety after a write the callers always make safe. Its measured precision on
real code (`benchmarks/corpus`, 2026-12-03: every NM008 finding judged in the corpus ledger,
on the tune split and on the held-back parts revealed once; 11 repositories) is 0 real of 14:
13 false (facts of the data, 5; a literal argument, a flag set with the nil, keys stored
together, a callee's case the caller never takes: 2 each) and 1 unsure. Before this rule
existed, the same writes, reported by NM001 and NM002 as warnings, gave 60 judged findings
across seven batches of repositories: 57 false, 3 unsure, none a real bug; each kind of false alarm found was fixed at its root in the
engine, and each new batch brought new kinds. On the real-bug
development set it finds 6 bugs the default rules do not (a nil kept where a decoder's
error is tolerated, a map nil when a lookup fails, a write before a nil check, a guard on
the pointer, a nil handed to a writing callee, a map found empty that literals leave out).
Use it to look for those; expect most of its findings to be guarded by facts of the data.
The writes into a map found empty were measured on the 26 tune entries whose code tests
field lengths most (`len(x.f) == 0` and its spellings): 2 findings, both false (gocql, whose
tables a later step gives their `Columns` map before the writer runs), which led to the
rule that such a step makes the field; after it, none. Their precision on real code is
therefore not measured yet beyond the one real bug of the development set (dgraph).

## References
- [The Go Programming Language Specification: Map types](https://go.dev/ref/spec#Map_types)
- [Go maps in action](https://go.dev/blog/maps)
"""
from __future__ import annotations

from analyzers.model import Severity
from analyzers.rule import Pass, Rule
from analyzers.rules import nested_map_write, nil_map_write


def run(pass_: Pass) -> None:
    nil_map_write.report_writes(pass_, RULE.code, every_path=False)
    nested_map_write.report_writes(pass_, RULE.code, every_path=False)


RULE = Rule(
    code="NM008",
    name="nil-map-write-on-some-paths",
    title="write to a map that is nil on some paths",
    severity=Severity.WARNING,
    since="0.1.0",
    fix_availability="sometimes",
    default_enabled=False,
    doc=__doc__ or "",
    run=run,
)
