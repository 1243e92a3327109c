// Generated program (seed 900344), shrunk from 91 to 25 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	index map[string]map[string]int
}

var global Store

func fillStore(s *Store, k string) {
}

func run1(a, b bool, n int, keys []string, raw string) {
	ready := len(keys) == 0 && n%2 == 0
	if ready {
		fillStore(&global, "a")
	} else {
		global.index["a"] = make(map[string]int) // want "nil"
	}
}

func main() {
	run1(false, true, 1, []string{}, `{"labels":null}`)
}
