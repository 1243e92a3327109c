// Positive twin of element_len_implies_made_ok: the write runs when the entry is empty, which
// a nil map always is. Seen (as the safe form) in bwmarrin/discordgo event.go.
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
	if len(s.onceHandlers[t]) == 0 {
		s.onceHandlers[t] = []func(){}
	}
}

func main() {
	d := Session{} // want `.Session. built here leaves map field .onceHandlers. nil`

	d.handle("MESSAGE_CREATE") // want `call of .handle. writes to nil map field .d.onceHandlers.`
	fmt.Println(len(d.onceHandlers))
}
