"""Models of other packages' behaviour that the analysis relies on, checked on code that
imports them (these packages are not installed, so the code is checked, not run; the
runnable forms of the same shapes are fixtures).

- testify's `require.NoError(t, err)` and `require.Nil(t, err)` end the test unless `err` is
  nil; `assert.NoError` reports and goes on.
- `errors.New` and `fmt.Errorf` never return nil.
- kingpin's `StringMapVar(&m)` writes into `m` when the flag is given, without making it;
  pflag's `StringToStringVar` makes its own map.
- client-go's typed clients (`cs.CoreV1().ConfigMaps(ns).Get(...)`, `Get` on a
  `v1.ConfigMapInterface`) return objects fetched from the API server, whose `Data`,
  `Labels` and `Annotations` are nil when the object has none.
- A generated `DeepCopy()` copies a nil map as nil; `GroupVersionKind()` and the other methods
  every API object has only read it.
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
    # The same test with `assert` in place of `require` goes on to the write, where Prepare
    # may have failed (a name the call does not know)...
    assert 30 in _lines(SOURCE.replace(b'require.NoError(t, c.Prepare("x"))', b'assert.NoError(t, c.Prepare(t.Name()))'))
    # ...but not where the name it is handed settles that Prepare makes the map.
    assert 30 not in _lines(SOURCE.replace(b'require.NoError(t, c.Prepare("x"))', b'assert.NoError(t, c.Prepare("x"))'))
    unknown_name = SOURCE.replace(b'err := c.Prepare("x")', b"err := c.Prepare(t.Name())")
    assert 37 not in _lines(unknown_name)
    assert 37 in _lines(unknown_name.replace(b"require.Nil(t, err)", b"assert.Nil(t, err)"))


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


CLIENT_GO = b'''package controller

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	typedv1 "k8s.io/client-go/kubernetes/typed/core/v1"
)

func markChained(ctx context.Context, cs kubernetes.Interface, ns string) (*corev1.ConfigMap, error) {
	cm, err := cs.CoreV1().ConfigMaps(ns).Get(ctx, "settings", metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	cm.Data["seen"] = "true" // line 17
	return cm, nil
}

func markTyped(ctx context.Context, client typedv1.SecretInterface) error {
	secret, err := client.Get(ctx, "token", metav1.GetOptions{})
	if err != nil {
		return err
	}
	secret.Labels["seen"] = "true" // line 26
	return nil
}

func markListed(ctx context.Context, cs kubernetes.Interface) error {
	pods, err := cs.CoreV1().Pods("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for _, pod := range pods.Items {
		pod.Annotations["seen"] = "true" // line 36
	}
	return nil
}
'''


def _decoded_lines(source: bytes) -> list[int]:
    file = SourceFile("controller.go", source)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM004"})))
    return sorted(file.lines.line_of(d.span.start) + 1 for d in report.diagnostics)


def test_client_go_typed_clients_return_fetched_objects() -> None:
    assert _decoded_lines(CLIENT_GO) == [17, 26, 36]


def test_other_get_methods_return_unknown_objects() -> None:
    # The same calls in a file that imports no client-go package are some other API's.
    other = CLIENT_GO.replace(b'"k8s.io/client-go/kubernetes"', b'kubernetes "example.com/clients"').replace(
        b'typedv1 "k8s.io/client-go/kubernetes/typed/core/v1"', b'typedv1 "example.com/clients/typed"'
    )
    assert _decoded_lines(other) == []
    # A group client's Get (`CoreV1Interface`) returns no object.
    group = CLIENT_GO.replace(b"typedv1.SecretInterface", b"typedv1.CoreV1Interface")
    assert _decoded_lines(group) == [17, 36]


DEEP_COPY = b'''package controllers

import (
	"context"

	appv1alpha1 "example.com/operator/pkg/apis/app/v1alpha1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

func mark(ctx context.Context, c client.Client, a appv1alpha1.Application) error {
	_ = a.GroupVersionKind()
	cp := a.DeepCopy()
	cp.Annotations["x"] = "y" // line 13
	annotations := a.DeepCopy().Annotations
	annotations["z"] = "w" // line 15
	return c.Update(ctx, cp)
}
'''


def test_deep_copy_keeps_nil_maps() -> None:
    assert _decoded_lines(DEEP_COPY) == [13, 15]
    # A method that may change the object (here one nothing is known of) leaves it unknown.
    assert _decoded_lines(DEEP_COPY.replace(b"_ = a.GroupVersionKind()", b"a.Normalise()")) == []


READ_THEN_WRITTEN = b'''package upgrade

import (
	"context"

	v1alpha1 "example.com/operator/apis/app/v1alpha1"
)

type upgrader struct {
	defaults map[string]string
}

func (u *upgrader) upgrade(_ context.Context, inst v1alpha1.Instrumentation) *v1alpha1.Instrumentation {
	upgraded := inst.DeepCopy()
	for annotation, image := range u.defaults {
		current := upgraded.Annotations[annotation]
		if current != "" {
			upgraded.Annotations[annotation] = image // line 18
		}
	}
	return upgraded
}

func newUpgrader(defaults map[string]string) *upgrader {
	return &upgrader{defaults: defaults}
}
'''


def test_a_non_zero_value_read_from_an_api_object_map_tells_it_is_made() -> None:
    # The API package is not read, so the map's type is not known: the read still tells.
    assert _decoded_lines(READ_THEN_WRITTEN) == []
    assert _decoded_lines(READ_THEN_WRITTEN.replace(b'if current != "" {', b"{")) == [18]
