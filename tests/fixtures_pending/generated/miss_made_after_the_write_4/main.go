// Generated program (seed 400110), shrunk from 63 to 20 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Labels map[string]string `json:"labels"`
}

func run1(a, b bool, n int, keys []string, raw string) {
	cfg := Config{Labels: map[string]string{}}
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
	}
	cfg.Labels["a"] += "v" // want "nil"
	cfg.Labels = make(map[string]string)
}

func main() {
	run1(true, true, 3, []string{}, `{"labels":null}`)
}
