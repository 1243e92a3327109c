// Generated program (seed 600179), shrunk from 125 to 23 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var names = []string{"a", "b", "c"}

var registry map[string]map[string]int

func init() {
	registry = make(map[string]map[string]int)
}

func run1(a, b bool, n int, keys []string, raw string) {
	var labels map[string]string
	if len(labels) == 0 {
	}
	registry[names[2]] = map[string]int{}
	registry[names[0]][names[0]]++ // want "nil"
}

func main() {
	run1(false, false, 3, []string{}, `{"labels":null}`)
}
