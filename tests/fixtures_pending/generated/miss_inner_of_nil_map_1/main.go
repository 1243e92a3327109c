// Generated program (seed 300760), shrunk from 213 to 17 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

const keyB = "b"

func maybeGroups(ok bool) map[string]map[string]int {
	return nil
}

func run1(a, b bool, n int, keys []string, raw string) {
	groups := maybeGroups(n > 1)
	groups[keyB]["a"] += 2 // want "nil"
}

func main() {
	run1(true, false, 1, []string{"a"}, `{}`)
}
