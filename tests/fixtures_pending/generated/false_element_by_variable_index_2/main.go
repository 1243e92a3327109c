// Generated program (seed 104863), shrunk from 235 to 33 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM001 (error) `call of
// `putInts` writes to nil map `all[1].items`: `nilInts()` returns nil on every path`.

package main

type Store struct {
	items map[string]int
}

func newInts() map[string]int {
	return map[string]int{}
}

func nilInts() map[string]int {
	return nil
}

func putInts(m map[string]int, k string) {
	m[k]++
}

func run2(a, b bool, n int, keys []string, raw string) {
	var all [2]Store
	key := "a"
	all[1].items = nilInts()
	for i3 := range all {
		all[i3].items = newInts()
	}
	putInts(all[1].items, "a"+key) // OK: the loop made this element's map through a variable index
}

func main() {
	run2(true, true, 2, []string{}, `{}`)
}
