// A nil map reads as the zero value: `m[k] == v` with a non-empty v is false on a nil map, so a
// write under that condition cannot panic. Seen in kubernetes-sigs/external-dns registry/txt/registry.go
// (`if im.oldOwnerID != "" && r.Labels[OwnerLabelKey] == im.oldOwnerID { r.Labels[OwnerLabelKey] = im.ownerID }`).
package main

import (
	"encoding/json"
	"fmt"
)

type Endpoint struct {
	DNSName string            `json:"dnsName"`
	Labels  map[string]string `json:"labels,omitempty"`
}

type registry struct{ ownerID, oldOwnerID string }

func (im *registry) adopt(r *Endpoint) {
	if im.oldOwnerID != "" && r.Labels["owner"] == im.oldOwnerID {
		r.Labels["owner"] = im.ownerID // OK: a nil Labels reads "", which is not the non-empty oldOwnerID
	}
}

func main() {
	var ep Endpoint
	_ = json.Unmarshal([]byte(`{"dnsName":"a.example.com"}`), &ep)
	im := &registry{ownerID: "new", oldOwnerID: "old"}
	im.adopt(&ep)
	fmt.Println(len(ep.Labels))
}
