// Generated program (seed 300661), shrunk from 165 to 19 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	name  string
	items Counts
	index map[string]map[string]int
}

type Counts map[string]int

func run2(a, b bool, n int, keys []string, raw string) {
	all := []*Store{{}, {items: make(Counts)}}
	all[1].index[all[1].name][all[1].name] = all[1].index[all[1].name][all[1].name] + 1 // want "nil"
}

func main() {
	run2(false, true, 3, []string{"a"}, `{"counts":{}}`)
}
