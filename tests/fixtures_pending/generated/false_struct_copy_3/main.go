// Generated program (seed 103636), shrunk from 100 to 25 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM003 (error) `call of
// `Put` writes to nil map field `cp.items`: `Store` built at line 17 (main.go:17) leaves `items`
// nil`.

package main

type Store struct {
	name  string
	items Counts
	index map[string]map[string]int
}

type Counts map[string]int

func (s *Store) Put(k string) {
	s.items[k]++
}

func run2(a, b bool, n int, keys []string, raw string) {
	store := Store{"s", make(Counts), nil}
	cp := store
	cp.Put("b") // OK: a copy of a struct whose maps were all made
}

func main() {
	run2(true, true, 3, []string{"a", "b"}, `{"labels":{"x":"1"},"counts":{"a":1}}`)
}
