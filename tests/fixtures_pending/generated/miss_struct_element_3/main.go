// Generated program (seed 101250), shrunk from 142 to 17 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	index map[string]map[string]int
}

var names = []string{"a", "b", "c"}

func run1(a, b bool, n int, keys []string, raw string) {
	list := []Store{{}, {}}
	list[0].index["b"][names[2]] = list[0].index["b"][names[2]] + 1 // want "nil"
}

func main() {
	run1(false, true, 1, []string{"a", "b"}, `null`)
}
