// Generated program (seed 102117), shrunk from 182 to 20 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Labels map[string]string `json:"labels"`
	Counts map[string]int    `json:"counts,omitempty"`
}

func run1(a, b bool, n int, keys []string, raw string) {
	cfg := Config{Labels: map[string]string{}}
	_ = json.Unmarshal([]byte(raw), &cfg)
	cfg.Counts["b"] = 1 // want "nil"
	cfg.Counts = make(map[string]int)
}

func main() {
	run1(true, true, 1, []string{"a", "b"}, `{}`)
}
