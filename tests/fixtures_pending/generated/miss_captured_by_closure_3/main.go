// Generated program (seed 400262), shrunk from 254 to 29 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "sync"

type Store struct {
	index map[string]map[string]int
}

func maybeGroups(ok bool) map[string]map[string]int {
	return nil
}

func run1(a, b bool, n int, keys []string, raw string) {
	var st Store
	key := "b"
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		st.index = maybeGroups(b || key == "a")
		wg.Done()
	}()
	wg.Wait()
	st.index["a"+key] = map[string]int{} // want "nil"
}

func main() {
	run1(false, false, 3, []string{}, `null`)
}
