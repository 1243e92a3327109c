// Generated program (seed 107812), shrunk from 127 to 18 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items Counts
}

type Counts map[string]int

var global Store

func run1(a, b bool, n int, keys []string, raw string) {
	global.items["a"] += 2 // want "nil"
}

func main() {
	run1(true, true, 3, nil, `{"labels":null}`)
}
