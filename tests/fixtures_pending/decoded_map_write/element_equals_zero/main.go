// Positive twin of element_equals_nonzero_ok: the condition compares with the zero value, which a
// nil map returns, so the write runs on the nil Labels. Seen (as the safe form) in
// kubernetes-sigs/external-dns registry/txt/registry.go.
package main

import (
	"encoding/json"
	"fmt"
)

type Endpoint struct {
	DNSName string            `json:"dnsName"`
	Labels  map[string]string `json:"labels,omitempty"`
}

type registry struct{ ownerID string }

func (im *registry) adopt(r *Endpoint) {
	if r.Labels["owner"] == "" {
		r.Labels["owner"] = im.ownerID // want `.r.Labels. is nil when the decoded JSON has no .labels. key .parameter .r..`
	}
}

func main() {
	var ep Endpoint
	_ = json.Unmarshal([]byte(`{"dnsName":"a.example.com"}`), &ep)
	im := &registry{ownerID: "new"}
	im.adopt(&ep)
	fmt.Println(len(ep.Labels))
}
