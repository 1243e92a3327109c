// Generated program (seed 400026), shrunk from 108 to 31 lines.
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
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		fill := func() {
			cfg.Counts[key] += 2 // want "nil"
		}
		_ = json.Unmarshal([]byte(raw), &cfg)
		fill()
		wg.Done()
	}()
	wg.Wait()
}

func main() {
	run1(true, true, 1, []string{"a", "b"}, `{"labels":null}`)
}
