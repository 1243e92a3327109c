// Generated program (seed 108742), shrunk from 53 to 21 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM002 (error) `write to
// nil inner map `groups["b"]`: `groups` has no key "b" (made at line 6)`.

package main

import "sync"

func run1(a, b bool, n int, keys []string, raw string) {
	groups := map[string]map[string]int{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		groups["b"] = map[string]int{}
		wg.Done()
	}()
	wg.Wait()
	groups["b"]["a"] += 2 // OK: a goroutine joined before this line (or a closure called before it) made this map
}

func main() {
	run1(false, true, 0, []string{"a", "b"}, `{"name":"a"}`)
}
