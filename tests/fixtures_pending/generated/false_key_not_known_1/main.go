// Generated program (seed 101084), shrunk from 98 to 27 lines.
// The Go runtime runs this write and does not panic on it; nilmap reports NM002 (error) `write to
// nil inner map `seen[keyOf(1)]`: `seen` is empty (made at line 8)`.

package main

var seen map[string]map[string]int

var names = []string{"a", "b", "c"}

func init() {
	seen = make(map[string]map[string]int)
}

func keyOf(i int) string {
	return names[i%len(names)]
}

func run1(a, b bool, n int, keys []string, raw string) {
	seen["b"] = make(map[string]int)
	setup := func() {
		seen[keyOf(1)]["a"] = 2 // OK: the entry under this key was stored before (under an expression with the same value)
	}
	setup()
}

func main() {
	run1(false, true, 2, nil, `{"labels":{"x":"1"},"counts":{"a":1}}`)
}
