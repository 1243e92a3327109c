// Generated program (seed 600009), shrunk from 140 to 26 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "sync"

type Config struct {
	Counts map[string]int `json:"counts,omitempty"`
}

var names = []string{"a", "b", "c"}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		cfg.Counts[names[0]] = cfg.Counts[names[0]] + 1 // want "nil"
		wg.Done()
	}()
	wg.Wait()
	cfg.Counts = make(map[string]int)
}

func main() {
	run1(true, true, 0, []string{"a", "b"}, `{}`)
}
