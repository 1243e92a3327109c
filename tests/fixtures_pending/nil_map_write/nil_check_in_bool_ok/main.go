// A boolean that holds `m != nil` guards a write as well as the comparison itself would.
// Seen in caddyserver/caddy caddyconfig/httpcaddyfile/builtins.go (parseLogHelper(h, nil),
// `parseAsGlobalOption := globalLogNames != nil`) and nats-io/nats-server server/sublist.go
// (`cacheEnabled := s.cache != nil` in match, reached from remove after `s.cache = nil`).
package main

import "fmt"

func parseLog(name string, globalNames map[string]struct{}) string {
	asGlobal := globalNames != nil
	if asGlobal {
		globalNames[name] = struct{}{}
		return "global " + name
	}
	return "site " + name
}

func main() {
	fmt.Println(parseLog("access", nil)) // OK: parseLog writes only when `asGlobal`, i.e. the map is not nil
}
