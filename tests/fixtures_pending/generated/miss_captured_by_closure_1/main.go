// Generated program (seed 300271), shrunk from 193 to 27 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Counts map[string]int `json:"counts,omitempty"`
}

var names = []string{"a", "b", "c"}

func newInts() map[string]int {
	return make(map[string]int)
}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	_ = json.Unmarshal([]byte(raw), &cfg)
	defer func() {
		cfg.Counts = newInts()
	}()
	cfg.Counts[names[1]] += 2 // want "nil"
}

func main() {
	run1(true, false, 1, []string{"b", "a", "c"}, `null`)
}
