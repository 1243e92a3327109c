// Reading m[k] right after storing a made map at m[k] gives that made map; and a comma-ok
// lookup that succeeds gives a value some earlier store put there.
// Seen in the Go standard library mime/mediatype.go (ParseMediaType: `continuation[baseName] =
// make(map[string]string)` then `pmap = continuation[baseName]`, then `pmap[key] = value`).
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
				continuation[baseName] = make(map[string]string)
				pmap = continuation[baseName]
			}
		}
		pmap[key] = "v" // OK: pmap is params, or the map just stored in continuation
	}
	return params, continuation
}

func main() {
	p, c := parse([]string{"charset", "title*0", "title*1"})
	fmt.Println(len(p), len(c["title"]))
}
