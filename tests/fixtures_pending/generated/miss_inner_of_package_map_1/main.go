// Generated program (seed 900176), shrunk from 40 to 25 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type pair struct {
	A, B string
}

var seen = newGroups()

var names = []string{"a", "b", "c"}

const keyA = "a"

func newGroups() map[string]map[string]int {
	return make(map[string]map[string]int)
}

func run1(a, b bool, n int, keys []string, raw string) {
	pr := pair{A: "a", B: "b"}
	seen[pr.A][names[2]], seen["b"][keyA] = 1, 1 // want "nil"
}

func main() {
	run1(false, false, 1, []string{"b", "a", "c"}, `{"labels":null}`)
}
