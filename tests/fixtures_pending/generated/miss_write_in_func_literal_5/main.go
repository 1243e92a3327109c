// Generated program (seed 400356), shrunk from 89 to 34 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "sync"

const keyB = "b"

func newGroups() map[string]map[string]int {
	return map[string]map[string]int{}
}

func run1(a, b bool, n int, keys []string, raw string) {
	var groups, groups2 map[string]map[string]int = make(map[string]map[string]int), nil
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		groups[keyB] = nil
		var wg2 sync.WaitGroup
		wg2.Add(1)
		go func() {
			groups2[keyB] = map[string]int{} // want "nil"
			wg2.Done()
		}()
		wg2.Wait()
		wg.Done()
	}()
	wg.Wait()
	groups2 = newGroups()
}

func main() {
	run1(true, false, 2, []string{"a"}, `{"name":"a"}`)
}
