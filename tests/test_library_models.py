"""Models of other packages' behaviour that the analysis relies on, checked on code that
imports them (these packages are not installed, so the code is checked, not run; the
runnable forms of the same shapes are fixtures).

- testify's `require.NoError(t, err)` and `require.Nil(t, err)` end the test unless `err` is
  nil; `assert.NoError` reports and goes on.
- `errors.New` and `fmt.Errorf` never return nil.
- kingpin's `StringMapVar(&m)` writes into `m` when the flag is given, without making it;
  pflag's `StringToStringVar` makes its own map.
"""
from __future__ import annotations

from analyzers.checker import Settings, check_package
from analyzers.index import PackageIndex
from analyzers.source import SourceFile

SOURCE = b'''package stats

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type calc struct {
	aggregates map[string]int
}

func (c *calc) Prepare(name string) error {
	if name == "" {
		return errors.New("no name")
	}
	c.aggregates = make(map[string]int)
	return nil
}

func (c *calc) Process(key string) {
	c.aggregates[key]++
}

func TestRequired(t *testing.T) {
	c := &calc{}
	require.NoError(t, c.Prepare("x"))
	c.Process("a") // line 30: Prepare made the map, or the test ended
}

func TestRequiredVariable(t *testing.T) {
	c := &calc{}
	err := c.Prepare("x")
	require.Nil(t, err)
	c.Process("a") // line 37
}

func TestAsserted(t *testing.T) {
	c := &calc{}
	assert.NoError(t, c.Prepare(""))
	c.Process("a") // line 43: assert goes on after a failure
}
'''


def _lines(source: bytes = SOURCE) -> list[int]:
    file = SourceFile("stats_test.go", source)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM003"})))
    return sorted({file.lines.line_of(d.span.start) + 1 for d in report.diagnostics})


def test_require_stops_the_test_on_an_error() -> None:
    # Only TestAsserted is reported: its construction (41) and its write (43).
    assert _lines() == [41, 43]
    # The same test with `assert` in place of `require` goes on to the write.
    assert 30 in _lines(SOURCE.replace(b'require.NoError(t, c.Prepare("x"))', b'assert.NoError(t, c.Prepare("x"))'))
    assert 37 in _lines(SOURCE.replace(b"require.Nil(t, err)", b"assert.Nil(t, err)"))


def test_assert_goes_on() -> None:
    assert 43 in _lines()


FLAGS = b'''package main

import (
	"os"

	"gopkg.in/alecthomas/kingpin.v2"
)

type Config struct {
	Tags   map[string]string
	Labels map[string]string
	Name   string
}

func NewConfig() *Config {
	return &Config{}
}

func (cfg *Config) ParseFlags(args []string) error {
	app := kingpin.New("egress", "routes egress traffic")
	app.Flag("name", "the name").StringVar(&cfg.Name)
	app.Flag("tag", "a tag, KEY=VALUE").StringMapVar(&cfg.Tags)
	_, err := app.Parse(args)
	return err
}

func main() {
	cfg := NewConfig()
	if err := cfg.ParseFlags(os.Args[1:]); err != nil {
		os.Exit(2)
	}
}
'''


def _flag_findings(source: bytes) -> list[tuple[int, str]]:
    file = SourceFile("main.go", source)
    report = check_package(PackageIndex([file]), settings=Settings())
    return sorted((file.lines.line_of(d.span.start) + 1, d.rule) for d in report.diagnostics)


def test_kingpin_string_map_var_writes_the_map() -> None:
    # The constructor (line 16) leaves Tags nil; ParseFlags (called at 29) hands its address to kingpin.
    assert _flag_findings(FLAGS) == [(16, "NM003"), (29, "NM003")]
    # Made in the constructor: nothing to report.
    assert _flag_findings(FLAGS.replace(b"return &Config{}", b"return &Config{Tags: map[string]string{}}")) == []


def test_other_flag_libraries_make_their_map() -> None:
    # pflag's StringToStringVar makes a fresh map on the first value.
    pflag = FLAGS.replace(b"gopkg.in/alecthomas/kingpin.v2", b"github.com/spf13/pflag").replace(
        b"StringMapVar(&cfg.Tags)", b"StringToStringVar(&cfg.Tags, nil)"
    )
    assert _flag_findings(pflag) == []
    # The same method name with no kingpin among the imports is not kingpin's.
    other = FLAGS.replace(b"gopkg.in/alecthomas/kingpin.v2", b"example.com/flags")
    assert _flag_findings(other) == []
