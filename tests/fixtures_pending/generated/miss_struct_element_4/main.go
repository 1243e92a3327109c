// Generated program (seed 900477), shrunk from 86 to 23 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	index map[string]map[string]int
}

func withMadeGroups(m map[string]map[string]int) map[string]map[string]int {
	if m == nil {
		m = make(map[string]map[string]int)
	}
	return m
}

func run1(a, b bool, n int, keys []string, raw string) {
	stores := []*Store{{}, {}}
	stores[1].index = withMadeGroups(stores[1].index)
	stores[1].index["a"]["b"] = 1 // want "nil"
}

func main() {
	run1(true, false, 0, []string{"b", "a", "c"}, `{"counts":{}}`)
}
