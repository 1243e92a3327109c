"""Starts the nilmap language server the extension carries (`bundled/libs`), with whatever
Python runs this file: `python -I nilmap_server.py [nilmap-lsp arguments]`.

`--probe` prints what the extension needs to know before starting it, as one JSON line:
the Python's version and path, and whether the server can run on it (3.11 or newer, and a
tree-sitter binary in the bundle for this Python and platform). Nothing here may use
syntax or modules newer than Python 3.6, so that an old Python gets a clear answer.
"""
import json
import os
import sys

LIBS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "libs")
MINIMUM = (3, 11)


def probe():
    answer = {
        "python": ".".join(str(part) for part in sys.version_info[:3]),
        "executable": sys.executable,
        "ok": False,
        "reason": "",
    }
    if tuple(sys.version_info[:2]) < MINIMUM:
        answer["reason"] = "nilmap needs Python 3.11 or newer"
        return answer
    try:
        import tree_sitter  # noqa: F401  (the native part: built for some Pythons only)
        import tree_sitter_go  # noqa: F401
        import lsp_server  # noqa: F401
    except ImportError as error:
        answer["reason"] = "the bundled server has no build for this Python or platform ({})".format(error)
        return answer
    answer["ok"] = True
    return answer


def main():
    sys.path.insert(0, LIBS)
    if sys.argv[1:] == ["--probe"]:
        print(json.dumps(probe()))
        return 0
    answer = probe()
    if not answer["ok"]:
        sys.stderr.write("nilmap: {} (this is Python {} at {})\n".format(answer["reason"], answer["python"], answer["executable"]))
        return 3
    from lsp_server.__main__ import main as serve

    return serve(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
