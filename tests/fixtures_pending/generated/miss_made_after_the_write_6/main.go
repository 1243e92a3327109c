// Generated program (seed 148), shrunk from 119 to 22 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Labels map[string]string `json:"labels"`
}

func run2(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
	}
	cfg.Labels["b"] = "v" // want "nil"
	if cfg.Labels == nil {
		cfg.Labels = make(map[string]string)
	}
}

func main() {
	run2(true, true, 1, []string{}, `{}`)
}
