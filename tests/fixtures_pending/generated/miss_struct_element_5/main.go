// Generated program (seed 940497), shrunk from 117 to 18 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	name  string
	items map[string]int
}

func run2(a, b bool, n int, keys []string, raw string) {
	all := []*Store{{name: "e"}, {}}
	for i2 := range all {
		all[i2].items["b"] = all[i2].items["b"] + 1 // want "nil"
	}
}

func main() {
	run2(false, true, 2, []string{}, `{}`)
}
