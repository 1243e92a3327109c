// Generated program (seed 105814), shrunk from 160 to 17 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	index map[string]map[string]int
}

var names = []string{"a", "b", "c"}

func run1(a, b bool, n int, keys []string, raw string) {
	store := &Store{}
	store.index["a"][names[0]]++ // want "nil"
}

func main() {
	run1(true, false, 3, []string{}, `null`)
}
