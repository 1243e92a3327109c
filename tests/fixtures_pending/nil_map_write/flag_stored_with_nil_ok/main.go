package main

import (
	"os"
	"strings"
)

// A map set to nil together with a flag, and written only where the flag is unset: the nil
// never reaches the write. Seen in grpc-go's xdsresource (a "named_metrics.*" entry clears
// the set of named metrics and sets NamedMetricsAll; later rounds check the flag first).
// nilmap reports both writes today: the nil's condition does not remember the flag stored
// with it.
type Config struct {
	All   bool
	Named map[string]struct{}
}

func straightLine() {
	cfg := &Config{Named: make(map[string]struct{})}
	if len(os.Args) > 3 {
		cfg.All = true
		cfg.Named = nil
	}
	if !cfg.All {
		cfg.Named["x"] = struct{}{} // OK: Named is nil only where All is true
	}
}

func acrossRounds() {
	cfg := &Config{Named: make(map[string]struct{})}
	for _, m := range []string{"named.a", "named.*", "named.b"} {
		switch m {
		case "named.*":
			cfg.All = true
			cfg.Named = nil
		default:
			if cfg.All {
				continue
			}
			if name, found := strings.CutPrefix(m, "named."); found {
				cfg.Named[name] = struct{}{} // OK: a round after the reset returns to the loop first
			}
		}
	}
}

func main() {
	straightLine()
	acrossRounds()
}
