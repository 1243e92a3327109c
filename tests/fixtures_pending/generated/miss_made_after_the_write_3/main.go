// Generated program (seed 900277), shrunk from 86 to 23 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Labels map[string]string `json:"labels"`
	Counts map[string]int    `json:"counts,omitempty"`
}

func run1(a, b bool, n int, keys []string, raw string) {
	cfg2 := Config{Labels: map[string]string{}}
	if err := json.Unmarshal([]byte(raw), &cfg2); err != nil {
	}
	cfg2.Counts["b"]++ // want "nil"
	if cfg2.Counts == nil {
		cfg2.Counts = make(map[string]int)
	}
}

func main() {
	run1(true, true, 0, []string{}, `{"name":"a"}`)
}
