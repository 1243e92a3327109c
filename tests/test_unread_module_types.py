"""NM004 on a decode target whose type lives in a module that is not in the tree.

The type's module comes from a module proxy (a `file://` folder standing in for
proxy.golang.org), as a dependency does on a user's machine: Go builds and runs the program,
nilmap sees only the checked module and cannot read the type. An index write with a string
constant for key (a literal or a named constant) says the field is a map; the Go runtime
judges each program, as for the fixtures.
"""
from __future__ import annotations

import os
import pathlib
import re
import subprocess
import zipfile

import pytest

from tests.cli_support import nilmap, write
from tests.gotool import NIL_MAP_PANIC, go_env

MODULE = "example.org/wrp"
VERSION = "v1.0.0"

WRP = """package wrp

import "encoding/json"

// Message is a device message; Metadata is absent from most of them.
type Message struct {
	Source   string            `json:"source"`
	Metadata map[string]string `json:"metadata,omitempty"`
	Payload  []byte            `json:"payload,omitempty"`
}

type Decoder struct{ data []byte }

func NewDecoderBytes(data []byte) *Decoder { return &Decoder{data} }

func (d *Decoder) Decode(v any) error { return json.Unmarshal(d.data, v) }
"""

DEVICE = """package main

import (
	"fmt"

	"example.org/wrp"
)

func updateMetadata(contents []byte) string {
	var msg wrp.Message
	if err := wrp.NewDecoderBytes(contents).Decode(&msg); err != nil {
		return ""
	}
%(guard)s	msg.Metadata[%(key)s] = "comcast"
	return msg.Source
}

const partnerIDs = "partner-ids"

func main() {
	fmt.Println(updateMetadata([]byte(`{"source":"mac:112233445566"}`)))
}
"""

GUARD = "\tif msg.Metadata == nil {\n\t\tmsg.Metadata = map[string]string{}\n\t}\n"
# A nil map has length 0: the make runs whenever the map is nil, so past the `if` it is made.
LEN_GUARD = "\tif len(msg.Metadata) == 0 {\n\t\tmsg.Metadata = map[string]string{}\n\t}\n"

# An API object of another module (an `apis/v1` package), decoded and handed in: its
# well-known `Annotations` may be nil.
OBJECTS = "example.org/objects"
OBJECT_TYPES = """package v1

type Claim struct {
	Name        string            `json:"name"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// DeepCopy copies the claim as deepcopy-gen does: a nil map stays nil.
func (in *Claim) DeepCopy() *Claim {
	out := &Claim{Name: in.Name}
	if in.Labels != nil {
		out.Labels = make(map[string]string, len(in.Labels))
		for k, v := range in.Labels {
			out.Labels[k] = v
		}
	}
	if in.Annotations != nil {
		out.Annotations = make(map[string]string, len(in.Annotations))
		for k, v := range in.Annotations {
			out.Annotations[k] = v
		}
	}
	return out
}
"""

STAMP = """package main

import (
	"encoding/json"
	"fmt"

	v1 "example.org/objects/apis/v1"
)

func stamp(o *v1.Claim, hash string) {
%(guard)s	o.Annotations["hash"] = hash
}

func main() {
	var o v1.Claim
	if err := json.Unmarshal([]byte(`{"name":"claim"}`), &o); err != nil {
		panic(err)
	}
	stamp(&o, "h1")
	fmt.Println(o.Annotations)
}
"""

# The deep copy's map written inside a range over a map of the original: over the same field,
# the loop runs only when the original's map, so the copy's, has entries.
ESCAPE = """package main

import (
	"encoding/json"
	"fmt"
	"net/url"

	v1 "example.org/objects/apis/v1"
)

func escaped(o *v1.Claim) map[string]string {
	m := o.DeepCopy().Annotations
	for k, v := range o.%(ranged)s {
		m[k+"_ESCAPED"] = url.QueryEscape(v)
	}
	return m
}

func main() {
	var o v1.Claim
	if err := json.Unmarshal([]byte(`{"name":"claim","labels":{"tier":"a b"}}`), &o); err != nil {
		panic(err)
	}
	fmt.Println(escaped(&o))
}
"""

# A slice field indexed by a number says nothing of maps.
SLICE = """package main

import (
	"fmt"

	"example.org/wrp"
)

func main() {
	var msg wrp.Message
	if err := wrp.NewDecoderBytes([]byte(`{"payload":"AAE="}`)).Decode(&msg); err != nil {
		return
	}
	msg.Payload[0] = 7
	fmt.Println(msg.Payload)
}
"""


def _proxy(root: pathlib.Path) -> pathlib.Path:
    """A module proxy folder serving `example.org/wrp@v1.0.0` and `example.org/objects@v1.0.0`
    (the layout `go help goproxy` gives)."""
    for module, files in ((MODULE, {"wrp.go": WRP}), (OBJECTS, {"apis/v1/types.go": OBJECT_TYPES})):
        folder = root / module / "@v"
        folder.mkdir(parents=True)
        go_mod = f"module {module}\n\ngo 1.22\n"
        (folder / "list").write_text(VERSION + "\n")
        (folder / f"{VERSION}.info").write_text(f'{{"Version":"{VERSION}","Time":"2026-01-01T00:00:00Z"}}')
        (folder / f"{VERSION}.mod").write_text(go_mod)
        with zipfile.ZipFile(folder / f"{VERSION}.zip", "w") as archive:
            archive.writestr(f"{module}@{VERSION}/go.mod", go_mod)
            for name, source in files.items():
                archive.writestr(f"{module}@{VERSION}/{name}", source)
    return root


def _program(tmp_path: pathlib.Path, main: str) -> pathlib.Path:
    go_mod = f"module example.com/device\n\ngo 1.22\n\nrequire (\n\t{MODULE} {VERSION}\n\t{OBJECTS} {VERSION}\n)\n"
    return write(tmp_path / "device", {"go.mod": go_mod, "main.go": main})


def _run(program: pathlib.Path, proxy: pathlib.Path) -> subprocess.CompletedProcess[str]:
    env = {
        **go_env(),
        "GOPROXY": f"file://{proxy}",
        "GOSUMDB": "off",
        "GOFLAGS": "-mod=mod -modcacherw",
        "GOMODCACHE": str(program.parent / "modcache"),
    }
    return subprocess.run(["go", "run", "."], cwd=program, env=env, capture_output=True, text=True, timeout=300, check=False)


def _write_line(main: str) -> int:
    return next(n for n, line in enumerate(main.splitlines(), 1) if "] = " in line)


def _findings(program: pathlib.Path) -> list[str]:
    result = nilmap("check", "--select", "NM004", "--no-cache", "main.go", cwd=program)
    assert result.returncode in (0, 1), result.stderr
    return [line for line in result.stdout.splitlines() if not line.startswith(" ")]


def _assert_reported_where_it_panics(tmp_path: pathlib.Path, proxy: pathlib.Path, main: str, panics: bool) -> None:
    """Go runs the program: where it panics at the write, NM004 reports that write alone;
    where it exits 0, nothing is reported."""
    program = _program(tmp_path, main)
    run = _run(program, proxy)
    findings = _findings(program)
    if panics:
        assert NIL_MAP_PANIC in run.stderr
        assert [f.split(" ", 2)[1] for f in findings] == ["NM004"] and f"main.go:{_write_line(main)}:" in findings[0]
    else:
        assert run.returncode == 0, run.stderr
        assert findings == []


@pytest.fixture
def proxy(tmp_path: pathlib.Path) -> pathlib.Path:
    return _proxy(tmp_path / "proxy")


@pytest.mark.parametrize("key", ['"partner-ids"', "partnerIDs"])
def test_string_keyed_field_of_unread_decoded_type_panics_and_is_reported(tmp_path: pathlib.Path, proxy: pathlib.Path, key: str) -> None:
    main = DEVICE % {"guard": "", "key": key}
    program = _program(tmp_path, main)
    run = _run(program, proxy)
    line = _write_line(main)
    assert NIL_MAP_PANIC in run.stderr
    assert re.search(rf"main\.go:{line}\b", run.stderr), run.stderr
    assert not (program / MODULE.split("/")[0]).exists() and not os.path.exists(program / "vendor")  # nothing to read
    findings = _findings(program)
    assert findings == [
        f"main.go:{line}:2: NM004 `msg.Metadata` is nil when the decoded input has no `Metadata` "
        "(filled by `wrp.NewDecoderBytes(contents).Decode`)"
    ]


@pytest.mark.parametrize("guard", [GUARD, LEN_GUARD], ids=["nil", "len"])
def test_guarded_field_runs_and_is_silent(tmp_path: pathlib.Path, proxy: pathlib.Path, guard: str) -> None:
    program = _program(tmp_path, DEVICE % {"guard": guard, "key": "partnerIDs"})
    run = _run(program, proxy)
    assert run.returncode == 0, run.stderr
    assert _findings(program) == []


def test_number_indexed_field_is_not_taken_for_a_map(tmp_path: pathlib.Path, proxy: pathlib.Path) -> None:
    program = _program(tmp_path, SLICE)
    run = _run(program, proxy)
    assert run.returncode == 0, run.stderr
    assert _findings(program) == []


@pytest.mark.parametrize(("guard", "panics"), [("", True), ("\tif len(o.Annotations) == 0 {\n\t\to.Annotations = make(map[string]string)\n\t}\n", False)], ids=["unguarded", "len-guard"])
def test_len_zero_guard_makes_a_well_known_field(tmp_path: pathlib.Path, proxy: pathlib.Path, guard: str, panics: bool) -> None:
    # `len(m) == 0` holds whenever m is nil, so the make under it leaves the map made on both
    # paths, as `m == nil` does; the type is another module's, so only the field's name says map.
    _assert_reported_where_it_panics(tmp_path, proxy, STAMP % {"guard": guard}, panics)


@pytest.mark.parametrize(("ranged", "panics"), [("Labels", True), ("Annotations", False)], ids=["other-field", "same-field"])
def test_range_over_well_known_field_makes_its_deep_copy(tmp_path: pathlib.Path, proxy: pathlib.Path, ranged: str, panics: bool) -> None:
    # A range over a nil map runs no round, and the type is another module's, so only the
    # field's name says map; `o.DeepCopy().Annotations` is nil only where `o.Annotations` is.
    # Seen in percona/percona-server-mongodb-operator (getInternalSecretData).
    _assert_reported_where_it_panics(tmp_path, proxy, ESCAPE % {"ranged": ranged}, panics)
