// Positive twin of paired_nil_state_ok: the state variable is set outside the branch that makes
// the map, so `mls != nil` says nothing about it. Seen (as the safe form) in the Go standard
// library cmd/compile/internal/ssagen/pgen.go.
package main

import (
	"fmt"
	"os"
)

type mergeState struct{ leaders []string }

func (m *mergeState) isLeader(n string) bool { return len(n) > 0 }

func frame(names []string, merge bool) map[string]int {
	mls := &mergeState{}
	var leaders map[string]int
	if merge {
		leaders = make(map[string]int)
	}
	for i, n := range names {
		if mls != nil && mls.isLeader(n) {
			leaders[n] = -i // want `write to map .leaders. that is nil when`
		}
	}
	return leaders
}

func main() {
	fmt.Println(len(frame([]string{"a", "b"}, len(os.Args) > 5)))
}
