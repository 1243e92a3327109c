// Generated program (seed 900288), shrunk from 84 to 28 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Counts map[string]int `json:"counts,omitempty"`
}

var names = []string{"a", "b", "c"}

func keyOf(i int) string {
	return names[i%len(names)]
}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
	}
	cfg.Counts[keyOf(0)] = cfg.Counts[keyOf(0)] + 1 // want "nil"
	func() {
		cfg.Counts = make(map[string]int)
	}()
}

func main() {
	run1(true, true, 3, nil, `{"labels":null}`)
}
