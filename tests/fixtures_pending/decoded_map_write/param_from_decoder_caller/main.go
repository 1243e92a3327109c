// Positive twin of param_made_by_every_caller_ok: one caller passes a Secret decoded from JSON
// without a `data` key. Seen (as the safe form) in cert-manager/cert-manager
// pkg/controller/certificates/issuing/internal/secret.go.
package main

import (
	"encoding/json"
	"fmt"
)

type Secret struct {
	Name string            `json:"name"`
	Data map[string][]byte `json:"data,omitempty"`
}

func setKeystores(secret *Secret, keystore []byte) {
	secret.Data["keystore.p12"] = keystore // want `.secret.Data. is nil when the decoded JSON has no .data. key .parameter .secret..`
}

func main() {
	var s Secret
	if err := json.Unmarshal([]byte(`{"name":"tls"}`), &s); err != nil {
		panic(err)
	}
	setKeystores(&s, []byte{1})
	fmt.Println(len(s.Data))
}
