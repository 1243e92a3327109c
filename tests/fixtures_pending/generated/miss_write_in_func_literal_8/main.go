// Generated program (seed 600050), shrunk from 142 to 27 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "sync"

var seen = make(map[string]int)

func fillInts(p *map[string]int, k string) {
	(*p)[k]++ // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	key := "a"
	seen = map[string]int(nil)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		fillInts(&seen, "a"+key)
		wg.Done()
	}()
	wg.Wait()
}

func main() {
	run1(true, false, 2, []string{}, `null`)
}
