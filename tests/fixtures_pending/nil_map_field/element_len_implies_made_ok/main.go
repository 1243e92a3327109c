// Reading a nil map yields the zero value: when `len(m[k]) > 0` (or `m[k] == v` for a
// non-zero v) holds, m is not nil, so a write under that condition cannot panic.
// Seen in bwmarrin/discordgo event.go (`if len(s.onceHandlers[t]) > 0 { ...; s.onceHandlers[t] = nil }`,
// flagged from discord_test.go's `d := Session{}`); the same rule in kubernetes-sigs/external-dns
// registry/txt/registry.go and opencontainers/runc devices_emulator.go (Debian's sources).
package main

import "fmt"

type Session struct {
	handlers     map[string][]func()
	onceHandlers map[string][]func()
}

func (s *Session) handle(t string) {
	for _, h := range s.handlers[t] {
		h()
	}
	if len(s.onceHandlers[t]) > 0 {
		for _, h := range s.onceHandlers[t] {
			h()
		}
		s.onceHandlers[t] = nil
	}
}

func main() {
	d := Session{} // OK: handle writes onceHandlers only when it holds a non-empty entry

	d.handle("MESSAGE_CREATE") // OK: `len(s.onceHandlers[t]) > 0` is false on a nil map
	fmt.Println(len(d.onceHandlers))
}
