// Generated program (seed 102869), shrunk from 116 to 23 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Labels map[string]string `json:"labels"`
}

func run1(a, b bool, n int, keys []string, raw string) {
	cfg := Config{Labels: map[string]string{}}
	cfg.Labels = map[string]string(nil)
}

func run2(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	_ = json.Unmarshal([]byte(raw), &cfg)
	cfg.Labels["b"] += "v" // want "nil"
}

func main() {
	run2(false, false, 3, []string{}, `null`)
}
