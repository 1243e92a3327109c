"""Values received from channels: decoded messages passed between goroutines.

A channel whose elements are structs with decoding tags (`chan *pb.Delta`, a protocol buffer
message) usually carries what a reader goroutine decoded off a stream (`d, err :=
stream.Recv(); ch <- d`): a value received from it (`<-ch`, `for d := range ch`, a `select`
case) has the decoded value's nil maps. Where the package builds such a value with the map
itself (`&Delta{Sums: map...}`, or a make into a fresh one), NM004 takes the field as made,
as it does for a receiver whose constructor makes it.
"""
from __future__ import annotations

from analyzers.flow.decoded import decoding_tag
from analyzers.flow.types import TypeView, normalise, pointee


def element_type(channel_type: str) -> str:
    """`*Delta` of `chan *Delta`, `<-chan *Delta` or `chan<- *Delta` ("" for other types)."""
    type_text = normalise(channel_type)
    for prefix in ("<-chan ", "chan<- ", "chan "):
        if type_text.startswith(prefix):
            return type_text[len(prefix) :].strip()
    return ""


def carries_decoded(types: TypeView, channel_type: str) -> bool:
    """Whether values received from a channel of `channel_type` are taken as decoded: its
    element is a struct, or a pointer to one, with decoding tags."""
    element = element_type(channel_type)
    if not element or pointee(element).startswith(("[", "map[", "chan", "*")):
        return False
    struct = types.struct_of(pointee(element))
    return struct is not None and any(decoding_tag(f.tag) for f in struct.fields)
