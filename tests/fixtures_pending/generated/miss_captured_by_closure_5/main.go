// Generated program (seed 600392), shrunk from 105 to 33 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "sync"

type Store struct {
	name string
}

func makeStore() Store {
	return Store{name: "s"}
}

func maybeInts(ok bool) map[string]int {
	return nil
}

func run1(a, b bool, n int, keys []string, raw string) {
	store := makeStore()
	var counts map[string]int
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		counts = maybeInts(n%2 == 0)
		wg.Done()
	}()
	wg.Wait()
	counts[store.name]++ // want "nil"
}

func main() {
	run1(true, true, 3, nil, `null`)
}
