// Generated program (seed 164), shrunk from 154 to 28 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	Base
	meta Meta
}

type Base struct {
	attrs map[string]int
}

type Meta struct {
	tags map[string]int
}

var global Store

const keyB = "b"

func run1(a, b bool, n int, keys []string, raw string) {
	global.attrs = make(map[string]int)
	global.meta.tags[keyB] = global.meta.tags[keyB] + 1 // want "nil"
}

func main() {
	run1(true, true, 2, nil, `null`)
}
