"""NM004 on API objects of other packages: the well-known field table (Kubernetes shapes).

These types cannot be built here (their packages are not installed), so this test checks
the findings without running the code; the runnable cases live in the fixtures.
"""
from __future__ import annotations

from analyzers.checker import Settings, check_package
from analyzers.index import PackageIndex
from analyzers.source import SourceFile

SOURCE = b'''package controller

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

type Reconciler struct {
	client.Client
}

func (r *Reconciler) mark(ctx context.Context, key client.ObjectKey) error {
	var pod corev1.Pod
	if err := r.Get(ctx, key, &pod); err != nil {
		return err
	}
	pod.Annotations["seen"] = "true" // line 19
	return r.Update(ctx, &pod)
}

func (r *Reconciler) guarded(ctx context.Context, key client.ObjectKey) error {
	var pod corev1.Pod
	if err := r.Get(ctx, key, &pod); err != nil {
		return err
	}
	if pod.Annotations == nil {
		pod.Annotations = map[string]string{}
	}
	pod.Annotations["seen"] = "true"
	return r.Update(ctx, &pod)
}

func relabel(cm *corev1.ConfigMap) {
	cm.Data["k"] = "v" // line 36
}

func fromGetter(obj client.Object) {
	a := obj.GetAnnotations()
	a["x"] = "y" // line 41
}

func limits(c *corev1.Container) {
	c.Resources.Limits["cpu"] = c.Resources.Requests["cpu"] // line 45
}

func listed(list *corev1.PodList) {
	for i := range list.Items {
		list.Items[i].Labels["x"] = "y" // line 50
	}
}

func names(obj client.Object) string {
	return obj.GetName()
}

func straightIntoGetter(obj client.Object) {
	obj.GetAnnotations()["x"] = "y" // line 59
}
'''

# Fields named like Kubernetes metadata on types that are no API objects: a CLI command, an
# options struct of another package. No evidence of decoding, nothing reported.
NOT_API = b'''package cli

import (
	"github.com/spf13/cobra"

	"example.com/tool/internal/options"
)

func tag(cmd *cobra.Command) {
	cmd.Annotations["group"] = "admin"
}

func label(o *options.Run) {
	o.Labels["team"] = "core"
	o.GetLabels()["team"] = "core"
}
'''


def _findings() -> list[tuple[int, str]]:
    file = SourceFile("controller.go", SOURCE)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM004"})))
    return [(file.lines.line_of(d.span.start) + 1, d.message) for d in report.diagnostics]


def test_kubernetes_fields_after_get_and_as_parameters() -> None:
    found = _findings()
    assert [line for line, _ in found] == [19, 36, 41, 45, 50, 59]
    messages = dict(found)
    assert messages[19] == "`pod.Annotations` is nil when the object has no annotations (filled by `r.Get`)"
    assert "`cm.Data` is nil when the object has no data" in messages[36]
    assert "`a` is nil when the object has no annotations" in messages[41]
    assert "`c.Resources.Limits` is nil when the container declares no limits" in messages[45]


def test_write_into_a_getters_result_has_no_fix() -> None:
    file = SourceFile("controller.go", SOURCE)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM004"})))
    (finding,) = [d for d in report.diagnostics if file.lines.line_of(d.span.start) + 1 == 59]
    assert finding.message.startswith("`obj.Annotations` is nil when the object has no annotations")
    assert finding.fixes == ()  # a call's result cannot be assigned: the guard needs the field


def test_same_names_on_other_types_are_silent() -> None:
    file = SourceFile("cli.go", NOT_API)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM004"})))
    assert report.diagnostics == []


GRPC = b'''package fake

import (
	"context"

	logpb "google.golang.org/genproto/googleapis/logging/v2"
)

type handler struct {
	logpb.LoggingServiceV2Server
}

func (h *handler) WriteLogEntries(_ context.Context, req *logpb.WriteLogEntriesRequest) (*logpb.WriteLogEntriesResponse, error) {
	for _, e := range req.Entries {
		for k, v := range req.Labels {
			e.Labels[k] = v // line 16
		}
	}
	return &logpb.WriteLogEntriesResponse{}, nil
}
'''


def test_google_api_messages_have_labels_maps() -> None:
    """Google Cloud's API messages are decoded from requests; their `labels` maps are nil when a
    request sets none."""
    file = SourceFile("fake.go", GRPC)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM004"})))
    assert [(file.lines.line_of(d.span.start) + 1, d.message) for d in report.diagnostics] == [
        (16, "`e.Labels` is nil when the object has no labels (parameter `req`, ranged over in `req.Entries`)")
    ]


def test_guarded_write_is_silent() -> None:
    assert all(line not in range(23, 33) for line, _ in _findings())


def test_well_known_maps_get_the_guard_with_their_type() -> None:
    file = SourceFile("controller.go", SOURCE)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM004"})))
    by_line = {file.lines.line_of(d.span.start) + 1: d for d in report.diagnostics}
    (fix,) = by_line[19].fixes
    assert fix.title == "Add `if pod.Annotations == nil` guard"
    assert fix.edits[0].new_text == "\tif pod.Annotations == nil {\n\t\tpod.Annotations = make(map[string]string)\n\t}\n"
    assert by_line[45].fixes == ()  # ResourceList is not spelt the same everywhere: no guessed type


# An unexported setter of API objects, reached only with Secrets a method of the package builds
# with their Data made (as cert-manager's issuing controller does), even once the Secret has been
# handed to a logger; and the same setter reached with a Secret fetched as it is.
CALLERS_BUILD_IT = b'''package issuing

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/klog/v2"
)

type Manager struct {
	lister Lister
}

type Lister interface {
	Get(name string) (*corev1.Secret, error)
}

func (m *Manager) certificateSecret(name string) (*corev1.Secret, error) {
	existing, err := m.lister.Get(name)
	if err != nil {
		return nil, err
	}
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Data:       make(map[string][]byte),
		Type:       existing.Type,
	}, nil
}

func (m *Manager) Update(name string, key []byte) error {
	secret, err := m.certificateSecret(name)
	if err != nil {
		return err
	}
	klog.InfoS("updating", "secret", secret)
	m.setValues(secret, key)
	return nil
}

func (m *Manager) setValues(secret *corev1.Secret, key []byte) {
	secret.Data["tls.key"] = key // line 40
	setKeystore(secret, key)
}

func setKeystore(secret *corev1.Secret, key []byte) {
	secret.Data["keystore.p12"] = key // line 45
}
'''


def _lines(source: bytes) -> list[int]:
    file = SourceFile("secret.go", source)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM004"})))
    return [file.lines.line_of(d.span.start) + 1 for d in report.diagnostics]


def test_setters_whose_callers_build_the_map_are_silent() -> None:
    assert _lines(CALLERS_BUILD_IT) == []


def test_a_caller_passing_the_fetched_object_keeps_the_findings() -> None:
    fetched = CALLERS_BUILD_IT.replace(
        b"\tm.setValues(secret, key)\n", b"\tm.setValues(secret, key)\n\tif current, err := m.lister.Get(name); err == nil {\n\t\tm.setValues(current, key)\n\t}\n"
    )
    # setValues writes the map before it hands it to setKeystore: a nil map panics at its
    # own write (line 43), so setKeystore only ever sees it made.
    assert _lines(fetched) == [43]
    handed_on_first = fetched.replace(
        b'\tsecret.Data["tls.key"] = key // line 40\n\tsetKeystore(secret, key)\n',
        b'\tsetKeystore(secret, key)\n\tsecret.Data["tls.key"] = key // line 40\n',
    )
    assert handed_on_first != fetched
    # Handed on before its own write, the fetched map reaches setKeystore's write first (line
    # 48), the one that panics; past that call it is not nil.
    assert _lines(handed_on_first) == [48]


# A test helper that labels the pods its test builds, each with its labels map (set through the
# embedded ObjectMeta, in a variable or right in the call).
TEST_HELPER = b'''package controller

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func withLabel(p *corev1.Pod, k, v string) *corev1.Pod {
	p.Labels[k] = v // line 11
	return p
}

func TestSelect(t *testing.T) {
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "a", Labels: map[string]string{}}}
	withLabel(pod, "x", "y")
	withLabel(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"a": "b"}}}, "x", "y")
}
'''


def test_helpers_whose_tests_build_the_map_are_silent() -> None:
    assert _lines(TEST_HELPER) == []


def test_a_test_passing_a_bare_object_keeps_the_helpers_finding() -> None:
    bare = TEST_HELPER.replace(b'\twithLabel(pod, "x", "y")\n', b'\twithLabel(pod, "x", "y")\n\twithLabel(&corev1.Pod{}, "x", "y")\n')
    assert _lines(bare) == [11]


def test_a_projects_own_api_type_has_the_objects_metadata(tmp_path) -> None:
    """A custom resource type of the module (another package, embedding metav1.ObjectMeta) has
    the labels and annotations of any API object: fetched without them, they are nil."""
    (tmp_path / "go.mod").write_text("module example.com/op\n\ngo 1.22\n")
    (tmp_path / "api" / "v1beta1").mkdir(parents=True)
    (tmp_path / "api" / "v1beta1" / "types.go").write_text(
        'package v1beta1\n\nimport metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"\n\n'
        'type DevCluster struct {\n\tmetav1.TypeMeta   `json:",inline"`\n\tmetav1.ObjectMeta `json:"metadata,omitempty"`\n\tSpec DevClusterSpec `json:"spec,omitempty"`\n}\n\n'
        'type DevClusterSpec struct {\n\tName string `json:"name"`\n}\n'
    )
    (tmp_path / "backend").mkdir()
    source = (
        b'package backend\n\nimport infrav1 "example.com/op/api/v1beta1"\n\n'
        b'func Mark(c *infrav1.DevCluster) {\n\tc.Annotations["seen"] = "true" // line 6\n}\n'
    )
    path = tmp_path / "backend" / "backend.go"
    path.write_bytes(source)
    file = SourceFile(str(path), source)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM004"})))
    assert [(file.lines.line_of(d.span.start) + 1, d.message) for d in report.diagnostics] == [
        (6, "`c.Annotations` is nil when the object has no annotations (parameter `c`)")
    ]


def test_getters_of_the_modules_messages_only_read(tmp_path) -> None:
    """A protobuf getter of a message of another package of the module (`GetStandard()`) reads:
    the maps the caller made in the message stay made for the helper it then calls."""
    (tmp_path / "go.mod").write_text("module example.com/mesh\n\ngo 1.22\n")
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "insight.go").write_text(
        'package api\n\n'
        'type Stat struct {\n\tTotal uint32 `protobuf:"varint,1,opt,name=total,proto3" json:"total,omitempty"`\n}\n\n'
        'type MTLS struct {\n\tIssued map[string]*Stat `protobuf:"bytes,1,rep,name=issued,proto3" json:"issued,omitempty"`\n}\n\n'
        'type Insight struct {\n\tStandard *Stat `protobuf:"bytes,1,opt,name=standard,proto3" json:"standard,omitempty"`\n'
        '\tMTLS *MTLS `protobuf:"bytes,2,opt,name=mtls,proto3" json:"mtls,omitempty"`\n}\n\n'
        'func (x *Insight) GetStandard() *Stat {\n\tif x != nil {\n\t\treturn x.Standard\n\t}\n\treturn nil\n}\n'
    )
    (tmp_path / "insights").mkdir()
    source = (
        b'package insights\n\nimport (\n\t"encoding/json"\n\n\t"example.com/mesh/api"\n)\n\n'
        b'func updateMTLS(backend string, stats *api.MTLS) {\n\tstats.Issued[backend] = &api.Stat{} // line 10\n}\n\n'
        b'func Compute(backends []string) *api.Insight {\n'
        b'\tinsight := &api.Insight{Standard: &api.Stat{}, MTLS: &api.MTLS{Issued: map[string]*api.Stat{}}}\n'
        b'\tfor _, b := range backends {\n\t\tstandard := insight.GetStandard()\n\t\tstandard.Total++\n\t\tupdateMTLS(b, insight.MTLS)\n\t}\n\treturn insight\n}\n\n'
        b'func Load(data []byte) (*api.MTLS, error) {\n\tvar stats api.MTLS\n\treturn &stats, json.Unmarshal(data, &stats)\n}\n'
    )
    path = tmp_path / "insights" / "insights.go"
    path.write_bytes(source)
    file = SourceFile(str(path), source)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM004"})))
    assert report.diagnostics == []
    unguarded = source.replace(b"MTLS: &api.MTLS{Issued: map[string]*api.Stat{}}", b"MTLS: &api.MTLS{}")
    path.write_bytes(unguarded)
    file = SourceFile(str(path), unguarded)
    report = check_package(PackageIndex([file]), settings=Settings(select=frozenset({"NM004"})))
    assert [file.lines.line_of(d.span.start) + 1 for d in report.diagnostics] == [10]


def _api_module(root, replaced: bool) -> SourceFile:
    """A module whose `api/v1beta1` object embeds metav1.ObjectMeta; with `replaced`, its go.mod
    replaces apimachinery with a stand-in of its own that declares the metadata."""
    root.mkdir()
    go_mod = "module example.com/op\n\ngo 1.22\n"
    if replaced:
        go_mod += "\nrequire k8s.io/apimachinery v0.30.0\n\nreplace k8s.io/apimachinery => ./apimachinery\n"
        meta = root / "apimachinery" / "pkg" / "apis" / "meta" / "v1"
        meta.mkdir(parents=True)
        (root / "apimachinery" / "go.mod").write_text("module k8s.io/apimachinery\n\ngo 1.22\n")
        (meta / "types.go").write_text('package v1\n\ntype ObjectMeta struct {\n\tAnnotations map[string]string `yaml:"notes"`\n}\n')
    (root / "go.mod").write_text(go_mod)
    (root / "api" / "v1beta1").mkdir(parents=True)
    (root / "api" / "v1beta1" / "types.go").write_text(
        'package v1beta1\n\nimport metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"\n\n'
        'type DevCluster struct {\n\tmetav1.ObjectMeta `json:"metadata,omitempty"`\n}\n'
    )
    (root / "backend").mkdir()
    source = b'package backend\n\nimport infrav1 "example.com/op/api/v1beta1"\n\nfunc Mark(c *infrav1.DevCluster) {\n\tc.Annotations["seen"] = "true"\n}\n'
    path = root / "backend" / "backend.go"
    path.write_bytes(source)
    return SourceFile(str(path), source)


def test_a_module_reads_its_own_replacement_of_a_package(tmp_path) -> None:
    """The same import path is another package in each module that replaces it (or none, where
    it is not read): a module that does not replace apimachinery never sees another's stand-in."""
    settings = Settings(select=frozenset({"NM004"}))
    first = _api_module(tmp_path / "first", replaced=True)
    second = _api_module(tmp_path / "second", replaced=False)
    messages = [[d.message for d in check_package(PackageIndex([f]), settings=settings).diagnostics] for f in (first, second)]
    assert messages == [
        ["`c.Annotations` is nil when the decoded YAML has no `notes` key (parameter `c`)"],
        ["`c.Annotations` is nil when the object has no annotations (parameter `c`)"],
    ]
