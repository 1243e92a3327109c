// Generated program (seed 105494), shrunk from 173 to 17 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	index map[string]map[string]int
}

var names = []string{"a", "b", "c"}

func run2(a, b bool, n int, keys []string, raw string) {
	store := Store{}
	store.index["b"][names[2]]++ // want "nil"
}

func main() {
	run2(true, false, 0, []string{}, `{"labels":null}`)
}
