// Generated program (seed 300355), shrunk from 122 to 24 lines.
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
	key := "a"
	if n%2 == 0 || key == "a" {
		cfg.Labels[names[0]] = "v" // want "nil"
	}
	cfg.Labels = make(map[string]string)
}

func main() {
	run1(true, false, 3, []string{"a"}, `{"counts":{}}`)
}
