// Generated program (seed 600339), shrunk from 177 to 20 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var names = []string{"a", "b", "c"}

func maybeGroups(ok bool) map[string]map[string]int {
	return make(map[string]map[string]int)
}

func run1(a, b bool, n int, keys []string, raw string) {
	groups := maybeGroups(n > 1 && len(keys) > 0)
	key := "b"
	groups[names[1]] = map[string]int{}
	groups["a"+key][names[2]]++ // want "nil"
}

func main() {
	run1(false, true, 3, []string{"b", "a", "c"}, `{"counts":{}}`)
}
