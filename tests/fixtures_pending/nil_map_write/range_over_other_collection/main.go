// Positive twin of range_over_empty_ok: the loop ranges over another collection, which can be
// non-empty when the map was not made. Seen (as the safe form) in nats-io/nats-server server/accounts.go.
package main

import (
	"fmt"
	"os"
)

func signingKeys(keys, extra map[string]string, strict bool) map[string]string {
	var out map[string]string
	if len(keys) > 0 || !strict {
		out = make(map[string]string)
	}
	for k, v := range extra {
		out[k] = v // want `write to map .out. that is nil when`
	}
	return out
}

func main() {
	fmt.Println(len(signingKeys(nil, map[string]string{"a": "b"}, len(os.Args) < 5)))
}
