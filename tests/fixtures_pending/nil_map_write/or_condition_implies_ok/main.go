// When `a || b` is false, b is false: a write under `if b` that follows
// `if a || b { m = make(...) }` always meets the made map.
// Seen in nats-io/nats-server server/accounts.go (`if !strict { a.signingKeys[a.Name] = nil }`
// after `if len(ac.SigningKeys) > 0 || !strict { a.signingKeys = make(...) }`).
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
	if !strict {
		out[name] = true // OK: `!strict` implies the condition above held, so out was made
	}
	return out
}

func main() {
	fmt.Println(len(signingKeys(nil, "acc", len(os.Args) < 5)))
}
