// Generated program (seed 101552), shrunk from 131 to 19 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "sync"

func run2(a, b bool, n int, keys []string, raw string) {
	var groups map[string]map[string]int
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		groups["a"] = map[string]int{} // want "nil"
		wg.Done()
	}()
	wg.Wait()
}

func main() {
	run2(true, false, 1, []string{"a"}, `{"name":"a"}`)
}
