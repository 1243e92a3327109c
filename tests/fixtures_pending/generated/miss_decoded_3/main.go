// Generated program (seed 102464), shrunk from 137 to 26 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Config struct {
	Counts map[string]int `json:"counts,omitempty"`
}

func putInts(m map[string]int, k string) {
	m[k]++ // want "nil"
}

func newInts() map[string]int {
	return map[string]int{}
}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg2 Config
	key := "b"
	defer putInts(cfg2.Counts, "a"+key)
	counts := newInts()
	_ = counts
}

func main() {
	run1(true, true, 3, []string{"a"}, `{"labels":null}`)
}
