// Generated program (seed 400388), shrunk from 83 to 19 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Labels map[string]string `json:"labels"`
}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	cfg.Labels = make(map[string]string)
	_ = json.Unmarshal([]byte(raw), &cfg)
	cfg.Labels["b"] += "v" // want "nil"
}

func main() {
	run1(false, true, 2, []string{"a", "b"}, `{"labels":null}`)
}
