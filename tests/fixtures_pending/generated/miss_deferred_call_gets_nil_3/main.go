// Generated program (seed 106110), shrunk from 170 to 21 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items Counts
}

type Counts map[string]int

func putCounts(m Counts, k string) {
	m[k]++ // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	reg := Store{}
	defer putCounts(reg.items, "a")
}

func main() {
	run1(false, false, 3, []string{"a"}, `{}`)
}
