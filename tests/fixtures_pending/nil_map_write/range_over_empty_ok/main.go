// A `for range` over an empty collection runs no iteration: when the map is made exactly when
// the collection is not empty, a write inside that loop cannot meet the nil map.
// Seen in nats-io/nats-server server/accounts.go (`if len(ac.SigningKeys) > 0 || !strict`
// then `for k, scope := range ac.SigningKeys`) and open-telemetry/opentelemetry-collector
// confmap/internal/mapstructure/encoder.go (`value.Len() > 0` then `value.MapRange()`).
package main

import (
	"fmt"
	"os"
)

func signingKeys(keys map[string]string, strict bool) map[string]string {
	var out map[string]string
	if len(keys) > 0 || !strict {
		out = make(map[string]string)
	}
	for k, v := range keys {
		out[k] = v // OK: keys is not empty here, so the make above ran
	}
	return out
}

func main() {
	fmt.Println(len(signingKeys(nil, len(os.Args) < 5)), len(signingKeys(map[string]string{"a": "b"}, true)))
}
