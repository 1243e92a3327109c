// Generated program (seed 400197), shrunk from 146 to 24 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	name  string
	items map[string]int
	index map[string]map[string]int
}

const keyB = "b"

var shared Store

func run2(a, b bool, n int, keys []string, raw string) {
	list := map[string]*Store{"a": {items: make(map[string]int)}, "b": {name: "e"}}
	shared.items = make(map[string]int)
	shared.index[keyB] = make(map[string]int) // want "nil"
	var counts map[string]int
	list["b"].items = counts
}

func main() {
	run2(false, true, 3, []string{"b", "a", "c"}, `{"counts":{}}`)
}
