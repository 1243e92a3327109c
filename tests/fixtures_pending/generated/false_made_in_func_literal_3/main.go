// Generated program (seed 100456), shrunk from 201 to 23 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM002 (error) `write to
// nil inner map `groups["a"+key]`: `groups` is empty (made at line 8)`.

package main

import "sync"

func run2(a, b bool, n int, keys []string, raw string) {
	var groups map[string]map[string]int
	key := "b"
	groups = make(map[string]map[string]int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		groups["a"+key] = make(map[string]int)
		wg.Done()
	}()
	wg.Wait()
	groups["a"+key]["b"] = 1 // OK: a goroutine joined before this line (or a closure called before it) made this map
}

func main() {
	run2(false, true, 2, []string{"a", "b"}, `null`)
}
