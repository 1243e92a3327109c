// Generated program (seed 100514), shrunk from 110 to 19 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items Counts
	index map[string]map[string]int
}

type Counts map[string]int

func run1(a, b bool, n int, keys []string, raw string) {
	reg := &Store{items: nil}
	cp := *reg
	cp.index["a"] = make(map[string]int) // want "nil"
}

func main() {
	run1(false, false, 0, []string{"a"}, `{"labels":null}`)
}
