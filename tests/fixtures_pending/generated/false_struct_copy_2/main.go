// Generated program (seed 107115), shrunk from 235 to 23 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM003 (error) `call of
// `Put` writes to nil map field `cp.items`: `Store` built at line 14 (main.go:14) leaves `items`
// nil`.

package main

type Store struct {
	items map[string]int
	index map[string]map[string]int
}

func (s *Store) Put(k string) {
	s.items[k]++
}

func run2(a, b bool, n int, keys []string, raw string) {
	reg := Store{items: make(map[string]int), index: make(map[string]map[string]int)}
	key := "b"
	cp := reg
	cp.Put("a" + key) // OK: a copy of a struct whose maps were all made
}

func main() {
	run2(false, true, 2, []string{"b", "a", "c"}, `{}`)
}
