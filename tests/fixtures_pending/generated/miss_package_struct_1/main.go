// Generated program (seed 400076), shrunk from 72 to 26 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Counts map[string]int

type Store struct {
	items Counts
	index map[string]map[string]int
}

var global Store

func (c *Counts) Init() {
}

func run1(a, b bool, n int, keys []string, raw string) {
	labels := map[string]string{}
	global.items.Init()
	global.index["a"] = map[string]int{} // want "nil"
	if len(labels) == 0 {
	}
}

func main() {
	run1(true, false, 2, []string{"a", "b"}, `{"labels":null}`)
}
