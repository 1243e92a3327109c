// A struct tag says how a type is encoded, not that it is ever decoded: a type the program only
// marshals, and builds everywhere with the map made, never holds a nil map.
// Seen in tektoncd/pipeline pkg/credentials/dockercreds/creds.go (basicDocker, `json:"auths"`,
// always built as `basicDocker{make(map[string]entry)}`, only marshalled).
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
	dc.Entries[url] = entry{Secret: secret, Auth: "x"} // OK: basicDocker is never decoded and always built with Entries made
}

func main() {
	config := basicDocker{make(map[string]entry)}
	config.Set("s", "https://registry.example.com")
	out, _ := json.Marshal(config)
	fmt.Fprintln(os.Stdout, string(out))
}
