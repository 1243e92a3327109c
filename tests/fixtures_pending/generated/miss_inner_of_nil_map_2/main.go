// Generated program (seed 300930), shrunk from 154 to 19 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

const keyA = "a"

func newGroups() map[string]map[string]int {
	return make(map[string]map[string]int)
}

func run1(a, b bool, n int, keys []string, raw string) {
	groups := newGroups()
	groups["b"] = make(map[string]int)
	groups[keyA]["b"] += 2 // want "nil"
}

func main() {
	run1(false, true, 1, nil, `{"counts":{}}`)
}
