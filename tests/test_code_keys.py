"""A declaration's code without its comments (`gotext.without_comments`), and the facts kept by
it (`SourceFile.code_key`, `cache.code_fact`): the code tree-sitter reads is the same with and
without the comments, and a comment typed in a function asks the prefilter nothing again."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from analyzers.flow import prefilter as prefilter_module
from analyzers.flow.cache import forget_declaration_facts
from analyzers.flow.summaries import PackageFlow
from analyzers.gotext import without_comments
from analyzers.index import PackageIndex
from analyzers.parsing import parse
from analyzers.source import SourceFile


def _goroot_src() -> Path:
    """The Go toolchain's own sources (the tests need Go: `.ci/run` installs it)."""
    goroot = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    return Path(goroot) / "src"


def _tokens(source: bytes) -> tuple[list[bytes], int]:
    """The leaf tokens tree-sitter reads, comments left out, and the number of comments."""
    tokens: list[bytes] = []
    comments = 0
    cursor = parse(source).walk()
    while True:
        node = cursor.node
        assert node is not None
        if node.type == "comment":
            comments += 1
        elif node.child_count == 0:
            tokens.append(node.text or b"")
        elif cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return tokens, comments


@pytest.mark.parametrize(
    "text, code",
    [
        (b'x := "//" + y // a comment', b'x := "//" + y  '),
        (b"x := `/* raw */` /* a comment */ + y", b"x := `/* raw */`   + y"),
        (b"c := '/' // c\nd := '\\'' /* */", b"c := '/'  \nd := '\\''  "),
        (b'a := 1 /* two\nlines */ b := "\\"//"', b'a := 1 \n b := "\\"//"'),
        (b"x := a / b /c", b"x := a / b /c"),
        (b"no comment at all", b"no comment at all"),
    ],
)
def test_comments_become_one_blank_or_one_line_break(text: bytes, code: bytes) -> None:
    assert without_comments(text) == code


def test_real_files_keep_every_token_and_lose_every_comment() -> None:
    """Over real Go files (strings holding `//` and `/*`, runes, raw strings, doc comments):
    what is left parses to the same tokens, and holds no comment."""
    src = _goroot_src()
    files = sorted(src.glob("net/http/*.go"))[:60] + sorted(src.glob("go/printer/testdata/*.input"))
    assert len(files) > 60
    for path in files:
        source = path.read_bytes()
        tokens, comments = _tokens(source)
        kept, left = _tokens(without_comments(source))
        assert comments > 0, path
        assert left == 0, path
        assert kept == tokens, path


PACKAGE = b"""package p

func long(keys []string) int {
	a := make(map[string]int)
	a["x"] = 1
	// the middle of the function
	b := map[string]int{}
	b["y"] = 2
	return len(a) + len(b)
}

func other(keys []string) {
	var m map[string]int
	m["k"] = 1 // a nil map
}
"""


def _verdicts(source: bytes) -> tuple[set[str], int]:
    """The functions the server's prefilter lets through, and how many it asked about."""
    asked = 0
    original = prefilter_module.Prefilter._writes_into_maybe_nil

    def counted(self, file, node, flow):
        nonlocal asked
        asked += 1
        return original(self, file, node, flow)

    prefilter_module.Prefilter._writes_into_maybe_nil = counted  # type: ignore[method-assign]
    try:
        file = SourceFile("p.go", source)
        flow = PackageFlow(PackageIndex([file]))
        kept = flow.prefilter().functions_with_writes(file, flow, remember=True)
    finally:
        prefilter_module.Prefilter._writes_into_maybe_nil = original  # type: ignore[method-assign]
    names = {node.child_by_field_name("name").text.decode() for node in file.functions if node.start_byte in kept}
    return names, asked


def test_a_comment_typed_in_a_function_asks_nothing_again_and_code_typed_does() -> None:
    forget_declaration_facts()  # (kept by code across tests: start from none)
    first, asked = _verdicts(PACKAGE)
    assert first == {"other"} and asked == 2
    typed, asked = _verdicts(PACKAGE.replace(b"// the middle of", b"// the very middle of"))
    assert typed == first and asked == 0
    coded, asked = _verdicts(PACKAGE.replace(b'b["y"] = 2', b'b["y"] = 2\n\tvar c map[string]int\n\tc["z"] = 3'))
    assert coded == {"long", "other"} and asked == 1


def test_a_write_in_a_comment_lets_nothing_through() -> None:
    """The verdict reads the code: `m = nil` said in a comment is no nil."""
    source = PACKAGE.replace(b"// the middle of the function", b"// a = nil, then a[k] = 1")
    assert _verdicts(source)[0] == {"other"}
