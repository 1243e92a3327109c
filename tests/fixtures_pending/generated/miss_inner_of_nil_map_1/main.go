// Generated program (seed 900110), shrunk from 60 to 26 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type pair struct {
	A, B string
}

const keyB = "b"

var defaults = pair{A: "a", B: "b"}

func newGroups() map[string]map[string]int {
	return map[string]map[string]int{}
}

func run1(a, b bool, n int, keys []string, raw string) {
	groups := newGroups()
	if len(groups) == 0 {
		groups = make(map[string]map[string]int)
	}
	groups[keyB][defaults.A] = groups[keyB][defaults.A] + 1 // want "nil"
}

func main() {
	run1(true, true, 2, []string{"a", "b"}, `{"counts":{}}`)
}
