// Generated program (seed 400037), shrunk from 214 to 25 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "sync"

func withMadeGroups(m map[string]map[string]int) map[string]map[string]int {
	return m
}

func run3(a, b bool, n int, keys []string, raw string) {
	var groups, groups2 map[string]map[string]int = make(map[string]map[string]int), nil
	groups2 = withMadeGroups(groups2)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		groups2["b"]["a"] = groups2["b"]["a"] + 1 // want "nil"
		wg.Done()
	}()
	wg.Wait()
	_ = groups
}

func main() {
	run3(true, true, 3, nil, `{"labels":null}`)
}
