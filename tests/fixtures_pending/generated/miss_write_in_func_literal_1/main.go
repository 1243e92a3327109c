// Generated program (seed 300043), shrunk from 74 to 27 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "strings"

type Store struct {
	items map[string]int
	meta  Meta
}

type Meta struct {
	tags map[string]int
}

func run1(a, b bool, n int, keys []string, raw string) {
	reg := &Store{}
	fill := func() {
		reg.meta.tags[strings.ToLower("A")] = 1 // want "nil"
	}
	cp := reg
	cp.items = make(map[string]int)
	fill()
}

func main() {
	run1(false, false, 3, nil, `{"name":"a"}`)
}
