// Generated program (seed 400276), shrunk from 172 to 29 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Store struct {
	items map[string]int
}

var global = &Store{}

var names = []string{"a", "b", "c"}

func keyOf(i int) string {
	return names[i%len(names)]
}

func run1(a, b bool, n int, keys []string, raw string) {
	if len(keys) > 0 {
		global.items = map[string]int{"a": 1}
	} else {
		prepare := func() {
			global.items[keyOf(n)] = global.items[keyOf(n)] + 1 // want "nil"
		}
		prepare()
	}
}

func main() {
	run1(false, false, 3, []string{}, `{"labels":null}`)
}
