// Generated program (seed 300211), shrunk from 86 to 34 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type pair struct {
	A, B string
}

type Store struct {
	items map[string]int
}

const keyB = "b"

func fillInts(p *map[string]int, k string) {
	(*p)[k]++ // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	groups := map[string]map[string]int(nil)
	pr := pair{A: "a", B: "b"}
	ready := a || len(keys) > 0
	switch {
	case ready || a:
		groups[pr.B][pr.B]++
	}
	reg := new(Store)
	fillInts(&reg.items, keyB)
}

func main() {
	run1(false, false, 2, []string{}, `{}`)
}
