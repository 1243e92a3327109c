// Generated program (seed 600266), shrunk from 210 to 24 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Labels map[string]string `json:"labels"`
}

const keyA = "a"

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
	}
	cfg.Labels[keyA] += "v" // want "nil"
	if len(cfg.Labels) == 0 {
		cfg.Labels = make(map[string]string)
	}
}

func main() {
	run1(true, false, 2, []string{"a"}, `null`)
}
