// Generated program (seed 300639), shrunk from 175 to 22 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Labels map[string]string `json:"labels"`
}

var names = []string{"a", "b", "c"}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
	}
	cfg.Labels[names[0]] = "v" // want "nil"
	cfg.Labels = make(map[string]string)
}

func main() {
	run1(false, false, 0, []string{"a"}, `{"counts":{}}`)
}
