// Generated program (seed 600220), shrunk from 84 to 23 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "strings"

type Store struct {
	name  string
	items Counts
	index map[string]map[string]int
}

type Counts map[string]int

func run1(a, b bool, n int, keys []string, raw string) {
	st := &Store{name: "s", items: make(Counts)}
	key := "b"
	cp := st
	cp.index[key][strings.ToLower("A")]++ // want "nil"
}

func main() {
	run1(false, false, 3, nil, `{}`)
}
