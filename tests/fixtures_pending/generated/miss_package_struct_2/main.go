// Generated program (seed 102896), shrunk from 179 to 18 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "strings"

type Store struct {
	items map[string]int
}

var shared = &Store{}

func run1(a, b bool, n int, keys []string, raw string) {
	shared.items[strings.ToLower("A")] += 2 // want "nil"
}

func main() {
	run1(false, true, 2, nil, `{"name":"a"}`)
}
