// Generated program (seed 400111), shrunk from 130 to 22 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

var names = []string{"a", "b", "c"}

func newLabels() map[string]string {
	return make(map[string]string)
}

func resetLabels(p *map[string]string) {
	*p = nil
}

func run2(a, b bool, n int, keys []string, raw string) {
	labels := newLabels()
	resetLabels(&labels)
	labels[names[1]] += "v" // want "nil"
}

func main() {
	run2(true, false, 1, []string{}, `{"name":"a"}`)
}
