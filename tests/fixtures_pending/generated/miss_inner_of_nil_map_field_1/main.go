// Generated program (seed 900080), shrunk from 61 to 29 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	name  string
	items Counts
	index map[string]map[string]int
}

type Counts map[string]int

const keyA = "a"

var names = []string{"a", "b", "c"}

func keyOf(i int) string {
	return names[i%len(names)]
}

func run1(a, b bool, n int, keys []string, raw string) {
	stores := []Store{{name: "e"}, {items: make(Counts)}}
	for _, item := range stores {
		item.index[keyA][keyOf(0)] += 2 // want "nil"
	}
}

func main() {
	run1(true, false, 2, []string{"b", "a", "c"}, `{"labels":null}`)
}
