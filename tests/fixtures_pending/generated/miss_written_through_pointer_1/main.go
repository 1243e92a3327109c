// Generated program (seed 102430), shrunk from 66 to 17 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var seen map[string]int

func fillInts(p *map[string]int, k string) {
	(*p)[k]++ // want "nil"
}

func run1(a, b bool, n int, keys []string, raw string) {
	fillInts(&seen, "b")
}

func main() {
	run1(true, false, 3, []string{}, `null`)
}
