"""Models of other packages' behaviour that the analysis relies on, checked on code that
imports them (these packages are not installed, so the code is checked, not run; the
runnable forms of the same shapes are fixtures).

- testify's `require.NoError(t, err)` and `require.Nil(t, err)` end the test unless `err` is
  nil; `assert.NoError` reports and goes on.
- `errors.New` and `fmt.Errorf` never return nil.
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


def _lines() -> list[int]:
    file = SourceFile("stats_test.go", SOURCE)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM003"})))
    return sorted({file.lines.line_of(d.span.start) + 1 for d in report.diagnostics})


def test_require_stops_the_test_on_an_error() -> None:
    lines = _lines()
    assert 30 not in lines
    assert 37 not in lines


def test_assert_goes_on() -> None:
    assert 43 in _lines()
