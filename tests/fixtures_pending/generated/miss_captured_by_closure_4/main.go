// Generated program (seed 900085), shrunk from 129 to 33 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import (
	"encoding/json"
	"sync"
)

type Config struct {
	Counts map[string]int `json:"counts,omitempty"`
}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	key := "a"
	_ = json.Unmarshal([]byte(raw), &cfg)
	cfg.Counts["a"] = cfg.Counts["a"] + 1 // want "nil"
	var counts map[string]int
	if key != "a" && a {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			cfg.Counts = make(map[string]int)
			wg.Done()
		}()
		wg.Wait()
	}
	_ = counts
}

func main() {
	run1(false, false, 2, nil, `null`)
}
