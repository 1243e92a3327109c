// Generated program (seed 102658), shrunk from 167 to 25 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

type Config struct {
	Labels map[string]string `json:"labels"`
}

var names = []string{"a", "b", "c"}

func keyOf(i int) string {
	return names[i%len(names)]
}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	fill := func() {
		cfg.Labels = make(map[string]string)
	}
	cfg.Labels[keyOf(n)] += "v" // want "nil"
	fill()
}

func main() {
	run1(false, true, 3, []string{"a", "b"}, `{}`)
}
