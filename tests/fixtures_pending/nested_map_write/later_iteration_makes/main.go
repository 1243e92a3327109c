// Positive twin of first_iteration_makes_ok: the inner maps are made in the i == 1 pass, after
// the i == 0 pass has written them. Seen (as the safe form) in grafana/loki pkg/compactor/testutil.go.
package main

import "fmt"

func userID(j int) string { return fmt.Sprintf("user-%d", j) }

func build(files, users int) map[string]map[string]string {
	perUser := map[string]map[string]string{}
	for i := 0; i < files; i++ {
		for j := 0; j < users; j++ {
			id := userID(j)
			if i == 1 {
				perUser[id] = map[string]string{}
			}
			perUser[id][fmt.Sprintf("compactor-%d.gz", i)] = fmt.Sprint(i) // want `write to inner map .perUser\[id\]. that is nil when`
		}
	}
	return perUser
}

func main() {
	fmt.Println(len(build(3, 2)))
}
