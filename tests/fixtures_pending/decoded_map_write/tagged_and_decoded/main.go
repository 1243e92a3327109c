// Positive twin of tagged_never_decoded_ok: the program decodes a config.json without `auths`
// into the type, then writes. Seen (as the safe form) in tektoncd/pipeline pkg/credentials/dockercreds/creds.go.
package main

import (
	"encoding/json"
	"fmt"
	"os"
)

type entry struct {
	Secret string `json:"-"`
	Auth   string `json:"auth"`
}

type basicDocker struct {
	Entries map[string]entry `json:"auths"`
}

func (dc *basicDocker) Set(secret, url string) {
	dc.Entries[url] = entry{Secret: secret, Auth: "x"} // want `.dc.Entries. is nil when the decoded JSON has no .auths. key .receiver .dc..`
}

func main() {
	var config basicDocker
	if err := json.Unmarshal([]byte(`{}`), &config); err != nil {
		panic(err)
	}
	config.Set("s", "https://registry.example.com")
	out, _ := json.Marshal(config)
	fmt.Fprintln(os.Stdout, string(out))
}
