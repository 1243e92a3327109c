// An unexported function's parameter is whatever its callers pass: when every call in the
// package passes a value built here with the map made, the field cannot be nil, whatever its
// tags say. Seen in cert-manager/cert-manager pkg/controller/certificates/issuing/internal/secret.go
// (setKeystores, reached only with the Secret from getCertificateSecret, built with
// `Data: make(map[string][]byte)`); also kumahq/kuma meshservice_controller.go and
// kubernetes-sigs/external-dns provider/coredns/coredns_test.go.
package main

import "fmt"

type Secret struct {
	Name string            `json:"name"`
	Data map[string][]byte `json:"data,omitempty"`
}

func certificateSecret(name string) *Secret {
	return &Secret{Name: name, Data: make(map[string][]byte)}
}

func setKeystores(secret *Secret, keystore []byte) {
	secret.Data["keystore.p12"] = keystore // OK: the only caller passes certificateSecret's value, whose Data is made
}

func main() {
	s := certificateSecret("tls")
	setKeystores(s, []byte{1})
	fmt.Println(len(s.Data))
}
