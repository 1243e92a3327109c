// Two variables assigned together in one branch stay paired: `state != nil` implies the
// branch ran, so the map made in it is not nil. Seen in the Go standard library
// cmd/compile/internal/ssagen/pgen.go (`mls` and `leaders` set under `base.Debug.MergeLocals != 0`,
// then `if mls != nil && mls.IsLeader(n) { leaders[n] = ... }`).
package main

import (
	"fmt"
	"os"
)

type mergeState struct{ leaders []string }

func (m *mergeState) isLeader(n string) bool { return len(n) > 0 }

func frame(names []string, merge bool) map[string]int {
	var mls *mergeState
	var leaders map[string]int
	if merge {
		mls = &mergeState{}
		leaders = make(map[string]int)
	}
	for i, n := range names {
		if mls != nil && mls.isLeader(n) {
			leaders[n] = -i // OK: mls is set only in the branch that makes leaders
		}
	}
	return leaders
}

func main() {
	fmt.Println(len(frame([]string{"a", "b"}, len(os.Args) > 5)))
}
