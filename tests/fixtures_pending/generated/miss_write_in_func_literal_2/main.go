// Generated program (seed 300445), shrunk from 138 to 35 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "sync"

type Store struct {
	Base
	items Counts
}

type Base struct {
	attrs map[string]int
}

type Counts map[string]int

func (s Store) PutCopy(k string) {
	s.items[k]++ // want "nil"
}

func run2(a, b bool, n int, keys []string, raw string) {
	st := Store{Base: Base{attrs: make(map[string]int)}}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		st.PutCopy("b")
		wg.Done()
	}()
	wg.Wait()
}

func main() {
	run2(false, false, 0, []string{"a", "b"}, `{"name":"a"}`)
}
