// Generated program (seed 600070), shrunk from 93 to 23 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "sync"

func resetGroups(p *map[string]map[string]int) {
}

func run1(a, b bool, n int, keys []string, raw string) {
	groups := map[string]map[string]int(nil)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		groups["a"] = make(map[string]int) // want "nil"
		wg.Done()
	}()
	wg.Wait()
	resetGroups(&groups)
}

func main() {
	run1(true, true, 0, nil, `{"name":"a"}`)
}
