// Generated program (seed 103165), shrunk from 238 to 16 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	name  string
	items map[string]int
}

func run1(a, b bool, n int, keys []string, raw string) {
	list := []*Store{{name: "e"}, {}}
	list[1].items["a"] = 1 // want "nil"
}

func main() {
	run1(false, false, 3, []string{"b", "a", "c"}, `{"labels":null}`)
}
