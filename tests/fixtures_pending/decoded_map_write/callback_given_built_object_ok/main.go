// A callback's parameter is whatever the code that calls it passes: here the only function that
// calls the modifiers builds the deployment with its template labels made, so the callback's
// write cannot meet a nil map. Positive twin: decoded_map_write/closure_parameter (the object
// handed to the callback was decoded). Seen in crossplane/crossplane
// internal/controller/pkg/runtime/runtime_test.go (deploymentProvider's modifiers),
// kubernetes-sigs/external-dns source/ingress_test.go (createTestIngresses) and, across
// packages, kubernetes-sigs/cluster-api test/e2e/node_drain.go (ModifyDeployment).
package main

import "fmt"

type Template struct {
	Labels map[string]string `json:"labels,omitempty"`
}

type Deployment struct {
	Name     string   `json:"name"`
	Template Template `json:"template"`
}

func deployment(name string, modifiers ...func(*Deployment)) *Deployment {
	d := &Deployment{Name: name, Template: Template{Labels: map[string]string{"app": name}}}
	for _, modify := range modifiers {
		modify(d)
	}
	return d
}

func main() {
	d := deployment("provider", func(d *Deployment) {
		d.Template.Labels["k"] = "v" // OK: deployment() builds every Deployment it hands over with Labels made
	})
	fmt.Println(d.Template.Labels)
}
