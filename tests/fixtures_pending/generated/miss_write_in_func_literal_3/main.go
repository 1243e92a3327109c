// Generated program (seed 103646), shrunk from 142 to 19 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "sync"

func run1(a, b bool, n int, keys []string, raw string) {
	groups := make(map[string]map[string]int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		groups["b"]["b"]++ // want "nil"
		wg.Done()
	}()
	wg.Wait()
}

func main() {
	run1(false, false, 3, nil, `null`)
}
