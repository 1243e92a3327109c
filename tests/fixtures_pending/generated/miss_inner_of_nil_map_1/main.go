// Generated program (seed 400320), shrunk from 194 to 21 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

const keyA = "a"

const keyB = "b"

func newGroups() map[string]map[string]int {
	return make(map[string]map[string]int)
}

func run2(a, b bool, n int, keys []string, raw string) {
	groups := newGroups()
	groups[keyA] = map[string]int{}
	groups["b"][keyB] += 2 // want "nil"
}

func main() {
	run2(false, false, 0, []string{}, `{"name":"a"}`)
}
