// Generated program (seed 900445), shrunk from 136 to 26 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items map[string]int
	meta  Meta
}

type Meta struct {
	tags map[string]int
}

var global = &Store{}

func newInts() map[string]int {
	return map[string]int{}
}

func run1(a, b bool, n int, keys []string, raw string) {
	global.items = newInts()
	global.meta.tags["b"] = global.meta.tags["b"] + 1 // want "nil"
}

func main() {
	run1(true, true, 2, []string{"b", "a", "c"}, `null`)
}
