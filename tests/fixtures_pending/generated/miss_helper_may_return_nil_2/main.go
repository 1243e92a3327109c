// Generated program (seed 104530), shrunk from 78 to 36 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "strings"

type Store struct {
	Base
	items map[string]int
}

type Base struct {
	attrs map[string]int
}

func maybeInts(ok bool) map[string]int {
	if ok {
		return make(map[string]int)
	}
	return nil
}

func run1(a, b bool, n int, keys []string, raw string) {
	store := &Store{items: make(map[string]int)}
	store.attrs = maybeInts(a)
	for i2 := range 2 {
		store.attrs[strings.ToLower("A")] = store.attrs[strings.ToLower("A")] + 1 // want "nil"
		for i3 := 0; i3 < n; i3++ {
			if i3 > 0 || i2 == 0 {
			}
		}
	}
}

func main() {
	run1(false, false, 0, nil, `{"labels":{"x":"1"},"counts":{"a":1}}`)
}
