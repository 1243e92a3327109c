// Generated program (seed 102241), shrunk from 143 to 13 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var seen map[string]map[string]int

func run1(a, b bool, n int, keys []string, raw string) {
	seen["b"] = map[string]int{} // want "nil"
	seen = make(map[string]map[string]int)
}

func main() {
	run1(false, true, 2, nil, `{"name":"a"}`)
}
