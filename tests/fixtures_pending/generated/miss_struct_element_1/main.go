// Generated program (seed 600026), shrunk from 149 to 22 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	name  string
	index map[string]map[string]int
}

func ensureGroups(p *map[string]map[string]int) {
	if *p == nil {
	}
}

func run1(a, b bool, n int, keys []string, raw string) {
	list := []*Store{{name: "e"}, {}}
	ensureGroups(&list[0].index)
	list[0].index[list[1].name]["b"] += 2 // want "nil"
}

func main() {
	run1(false, false, 1, nil, `{"counts":{}}`)
}
