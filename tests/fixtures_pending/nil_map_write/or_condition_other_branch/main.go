// Positive twin of or_condition_implies_ok: the write runs under `strict`, which does not imply
// the condition that made the map. Seen (as the safe form) in nats-io/nats-server server/accounts.go.
package main

import (
	"fmt"
	"os"
)

func signingKeys(keys []string, name string, strict bool) map[string]bool {
	var out map[string]bool
	if len(keys) > 0 || !strict {
		out = make(map[string]bool)
	}
	if strict {
		out[name] = true // want `write to map .out. that is nil when`
	}
	return out
}

func main() {
	fmt.Println(len(signingKeys(nil, "acc", len(os.Args) < 5)))
}
