// Generated program (seed 300256), shrunk from 65 to 28 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Labels map[string]string `json:"labels"`
}

var names = []string{"a", "b", "c"}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	_ = json.Unmarshal([]byte(raw), &cfg)
	var labels map[string]string
	labels = map[string]string{}
	labels[names[2]] = "v"
	cfg.Labels["b"] += "v" // want "nil"
	setup := func() {
		cfg.Labels = make(map[string]string)
	}
	setup()
}

func main() {
	run1(true, true, 3, []string{"a"}, `null`)
}
