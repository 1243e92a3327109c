"""`LineIndex`: byte offsets to (line, column) in UTF-8, UTF-16 and UTF-32, and back."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzers.text import LineIndex

SOURCE = "package main\n// 测试 comment\nvar s = \"😀x\" // emoji\r\nvar t = 1\n".encode()


def test_positions_in_each_encoding() -> None:
    lines = LineIndex(SOURCE)
    x = SOURCE.index(b"x\"")
    assert lines.position(x, "utf-8") == (2, 13)
    assert lines.position(x, "utf-16") == (2, 11)
    assert lines.position(x, "utf-32") == (2, 10)
    assert lines.offset(2, 11, "utf-16") == x
    assert lines.offset(2, 10, "utf-32") == x
    assert lines.offset(2, 13, "utf-8") == x


def test_out_of_range_is_clamped() -> None:
    lines = LineIndex(SOURCE)
    assert lines.offset(99, 0) == len(SOURCE)
    assert lines.offset(-1, 5) == 0
    end_of_line_2 = SOURCE.index(b"\r\n")
    assert lines.offset(2, 500, "utf-16") == end_of_line_2  # stops before \r\n
    assert lines.position(10_000) == lines.position(len(SOURCE))


def test_utf8_column_inside_a_character_moves_to_its_end() -> None:
    lines = LineIndex(SOURCE)
    start = SOURCE.index("测".encode())
    assert lines.offset(1, start - lines.line_starts[1] + 1, "utf-8") == start + len("测".encode())


def test_invalid_bytes_count_one_unit_each() -> None:
    source = b"var a = \"\xff\xfe\" + \"\xef\xbf\xbd\" // z\n"
    lines = LineIndex(source)
    z = source.index(b"z")
    line, column = lines.position(z, "utf-16")
    assert lines.offset(line, column, "utf-16") == z


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60), st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_round_trip_at_character_boundaries(text: str, encoding: str) -> None:
    source = text.encode("utf-8")
    lines = LineIndex(source)
    boundaries = {len(text[:i].encode("utf-8")) for i in range(len(text) + 1)}
    for offset in sorted(boundaries):
        if source[offset - 1 : offset] == b"\r" and source[offset : offset + 1] == b"\n":
            continue  # between \r and \n: not a position an editor can name
        line, column = lines.position(offset, encoding)
        assert lines.offset(line, column, encoding) == offset


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "é", "😀", "\n", "\r", "\r\n", " "]), max_size=30).map("".join),
    st.integers(min_value=0),
    st.integers(min_value=0, max_value=6),
    st.lists(st.sampled_from(["b", "\n", "\r", "\r\n", "ü"]), max_size=5).map("".join),
    st.booleans(),
)
def test_an_edited_index_is_the_index_of_the_edited_text(text: str, at: int, cut: int, inserted: str, lone_cr: bool) -> None:
    """Updating the index around an edit gives what indexing the new text does, lone CRs included."""
    source = text.encode()
    start = at % (len(source) + 1)
    end = min(len(source), start + cut)
    new_source = source[:start] + inserted.encode() + source[end:]
    edited = LineIndex(source, lone_cr_breaks=lone_cr).edited(start, end, new_source)
    fresh = LineIndex(new_source, lone_cr_breaks=lone_cr)
    assert edited.line_starts == fresh.line_starts
    assert [edited.position(o) for o in range(len(new_source) + 1)] == [fresh.position(o) for o in range(len(new_source) + 1)]
