// Positive twin of nil_check_in_bool_ok: the boolean records `m == nil`, and the write runs
// when it is true. Seen (as the safe form) in caddyserver/caddy caddyconfig/httpcaddyfile/builtins.go.
package main

import "fmt"

func parseLog(name string, globalNames map[string]struct{}) string {
	asSite := globalNames == nil
	if asSite {
		globalNames[name] = struct{}{}
		return "site " + name
	}
	return "global " + name
}

func main() {
	fmt.Println(parseLog("access", nil)) // want `call of .parseLog. writes to nil map .globalNames.`
}
