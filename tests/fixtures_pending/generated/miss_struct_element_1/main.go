// Generated program (seed 300900), shrunk from 149 to 18 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	name  string
	index map[string]map[string]int
}

var names = []string{"a", "b", "c"}

func run2(a, b bool, n int, keys []string, raw string) {
	var stores [2]Store
	stores[0].index[names[0]][stores[0].name] += 2 // want "nil"
}

func main() {
	run2(false, false, 3, []string{}, `{}`)
}
