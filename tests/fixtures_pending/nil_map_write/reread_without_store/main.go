// Positive twin of reread_after_store_ok: the absent entry is read back without being stored
// first, so pmap is nil. Seen (as the safe form) in the Go standard library mime/mediatype.go.
package main

import (
	"fmt"
	"strings"
)

func parse(keys []string) (map[string]string, map[string]map[string]string) {
	params := make(map[string]string)
	var continuation map[string]map[string]string
	for _, key := range keys {
		pmap := params
		if baseName, _, ok := strings.Cut(key, "*"); ok {
			if continuation == nil {
				continuation = make(map[string]map[string]string)
			}
			if pmap, ok = continuation[baseName]; !ok {
				pmap = continuation[baseName]
			}
		}
		pmap[key] = "v" // want `write to map .pmap. that may be nil: absent when .ok. is false`
	}
	return params, continuation
}

func main() {
	p, c := parse([]string{"charset", "title*0", "title*1"})
	fmt.Println(len(p), len(c["title"]))
}
