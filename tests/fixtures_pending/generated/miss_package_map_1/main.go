// Generated program (seed 3801781), shrunk from 109 to 33 lines; the Go runtime panics at the want line.
// Missed since flags of every type (Writes.first_round_only takes the nil a call stores under
// the branch that sets the flag, in a counted loop, for first-round state; see
// benchmarks/generated_programs.md, "Flags of every type"). NM007 reported it before.

package main

type Counts map[string]int

var names = []string{"a", "b", "c"}

var cache = make(Counts)

func maybeCounts(ok bool) Counts {
	if ok {
		return make(Counts)
	}
	return nil
}

func run2(a, b bool, n int, keys []string, raw string) {
	key := "a"
	for i2 := range 2 {
		flag := ""
		if key == "a" && i2%2 == 1 {
			flag = "on"
			cache = maybeCounts(i2 == 0)
		}
		if len(flag) > 0 {
			cache[names[2]]++ // want "nil"
		}
	}
}

func main() {
	run2(true, true, 1, nil, `{"labels":null}`)
}
