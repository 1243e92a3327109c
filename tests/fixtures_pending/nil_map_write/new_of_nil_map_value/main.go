package main

import "fmt"

// new(expr) (Go 1.26) points at a copy of the value: a copy of a nil map is nil.
func main() {
	var labels map[string]string
	p := new(labels)
	(*p)["team"] = "core" // want `write to nil map`
	fmt.Println(len(labels))
}
