// A counted loop from 0 runs its i == 0 pass first: inner maps made for every key in that pass
// are there for the later passes, which write the same keys.
// Seen in grafana/loki pkg/compactor/testutil.go (`if i == 0 { perUserIndexes[userID] = map[string]string{} }`
// then `perUserIndexes[userID][...] = ...`) and pkg/storage/stores/shipper/indexshipper/testutil/testutil.go.
package main

import "fmt"

func userID(j int) string { return fmt.Sprintf("user-%d", j) }

func build(files, users int) map[string]map[string]string {
	perUser := map[string]map[string]string{}
	for i := 0; i < files; i++ {
		for j := 0; j < users; j++ {
			id := userID(j)
			if i == 0 {
				perUser[id] = map[string]string{}
			}
			perUser[id][fmt.Sprintf("compactor-%d.gz", i)] = fmt.Sprint(i) // OK: the i == 0 pass made perUser[id] for every j
		}
	}
	return perUser
}

func main() {
	fmt.Println(len(build(3, 2)))
}
