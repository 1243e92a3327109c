// Generated program (seed 300202), shrunk from 94 to 17 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items map[string]int
}

var global Store

func run1(a, b bool, n int, keys []string, raw string) {
	global.items["a"] = global.items["a"] + 1 // want "nil"
	global.items = make(map[string]int)
}

func main() {
	run1(false, false, 0, nil, `null`)
}
