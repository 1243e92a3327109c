// Generated program (seed 400269), shrunk from 180 to 26 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Counts map[string]int `json:"counts,omitempty"`
}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	_ = json.Unmarshal([]byte(raw), &cfg)
	cfg.Counts["b"] = n // want "nil"
}

func run3(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	prepare := func() {
		cfg.Counts = make(map[string]int)
	}
	prepare()
}

func main() {
	run1(false, false, 2, []string{"a", "b"}, `null`)
}
