// Generated program (seed 900302), shrunk from 82 to 31 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var names = []string{"a", "b", "c"}

func newGroups() map[string]map[string]int {
	return make(map[string]map[string]int)
}

func keyOf(i int) string {
	return names[i%len(names)]
}

func run1(a, b bool, n int, keys []string, raw string) {
	var counts map[string]int = nil
	groups := newGroups()
	if len(groups) == 0 {
		groups = make(map[string]map[string]int)
	}
	for i2 := range 2 {
		if counts != nil {
		}
		groups["a"][keyOf(n)] = groups["a"][keyOf(n)] + 1 // want "nil"
		if i2%2 == 1 {
		}
	}
}

func main() {
	run1(true, true, 0, nil, `{"labels":{"x":"1"},"counts":{"a":1}}`)
}
