// Generated program (seed 600039), shrunk from 168 to 31 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "sync"

type Store struct {
	Base
	items map[string]int
}

type Base struct {
	attrs map[string]int
}

const keyB = "b"

func run2(a, b bool, n int, keys []string, raw string) {
	st := &Store{items: nil}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		st.attrs = make(map[string]int)
		wg.Done()
	}()
	wg.Wait()
	st.items[keyB] = st.items[keyB] + 1 // want "nil"
}

func main() {
	run2(true, false, 3, []string{"a"}, `{}`)
}
