// Generated program (seed 104610), shrunk from 76 to 20 lines.
// The Go runtime panics here with `assignment to entry in nil map`; nilmap reports nothing on the
// panic's path.

package main

import "encoding/json"

type Config struct {
	Labels map[string]string `json:"labels"`
}

func run1(a, b bool, n int, keys []string, raw string) {
	var cfg Config
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
	}
	cfg.Labels["a"] = "v" // want "nil"
	cfg.Labels = make(map[string]string)
}

func main() {
	run1(false, true, 1, []string{}, `{"counts":{}}`)
}
