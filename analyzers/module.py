"""Types declared in the other packages of the module: what `api.AllocationListStub` or
`config.Config` is, when the package being checked only imports it.

A package's imports are resolved to directories the way the go tool would find them in a
checkout: through `go.mod`'s module path and its `replace ... => ./dir` directives, the module's
`vendor/` folder, and, for trees without a `go.mod` (GOPATH-era code), the `vendor/` folders of
the importer's directory and those above it (nearest first, as the go tool looked), then the
longest suffix of the import path that names a directory above the package, or, for a path
under the tree's own import prefix (which the importer's other imports show), the rest of it
below the tree's root. Type declarations are read, on
demand, and kept by the files' modification times, so an edit in another package is seen at
the next check (the language server lends the text of the files open in the editor,
`set_buffer`, which is read instead of the disk's, saved or not); with them, what the package's own code says of its values: the structs it
decodes (its loader's `json.Unmarshal(data, &c)`) and the map fields it makes.

A foreign package's types are named in its own terms (`Meta`, `other.Thing`); they are
rewritten into canonical names `⟦n⟧.Meta`, where `⟦n⟧` stands for the package's import path, so
a field's type can be looked up again without knowing which file it was declared in.
"""
from __future__ import annotations

import functools
import os
import re
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from analyzers.field_stores import FieldStores
from analyzers.flow.built_for_callbacks import CallbackField, callback_fields
from analyzers.flow.decoded import DECODER_TEXT, UNMARSHAL_METHODS
from analyzers.flow.syntax import decode_target_types, never_returns
from analyzers.getters import ReceiverUse, receiver_use
from analyzers.index import FieldDecl, StructDecl, read_facts
from analyzers.source import SourceFile

MARKER = re.compile(r"^⟦(\d+)⟧$")
_MARKERS = re.compile(r"⟦(\d+)⟧")
MAX_DEPTH = 8  # directories walked up looking for a go.mod, or a GOPATH-style root
_IDENTIFIER = re.compile(r"(?<![\w.⟧])([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?")
_KEYWORDS = frozenset({"map", "chan", "func", "struct", "interface"})
_PREDECLARED = frozenset(
    {
        "bool", "byte", "complex64", "complex128", "error", "float32", "float64", "int", "int8", "int16", "int32",
        "int64", "rune", "string", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "any", "comparable",
    }
)


@dataclass(frozen=True)
class ForeignPackage:
    """The types of one other package, in canonical names, and how its methods without
    arguments use their receivers (by receiver type name and method name)."""

    import_path: str
    structs: dict[str, StructDecl]
    named_types: dict[str, str]
    methods: dict[tuple[str, str], ReceiverUse] = field(default_factory=dict)
    decoded: frozenset[str] = frozenset()  # its structs its own code decodes, and what they hold
    made_fields: frozenset[str] = frozenset()  # fields its code gives a map of its own (`FieldStores.manages`)
    never_returning: frozenset[str] = frozenset()  # its functions (`F`) and methods (`T.M`) that never return
    callback_fields: frozenset[CallbackField] = frozenset()  # maps its functions' callbacks get made (`built_for_callbacks`)


@dataclass(frozen=True)
class Layout:
    """How a checkout maps import paths to directories."""

    module: str  # "" without a go.mod
    root: str
    replaces: tuple[tuple[str, str], ...]  # (import path prefix, directory)


_RECORDING = threading.local()


@contextmanager
def recording_reads() -> Iterator[set[str]]:
    """The other packages' directories and the `go.mod` files whose contents the answers given
    in this thread read while the block runs: a check's findings depend on them as on its own
    files (a stored result is stale when one changes)."""
    read: set[str] = set()
    previous = getattr(_RECORDING, "read", None)
    _RECORDING.read = read
    try:
        yield read
    finally:
        _RECORDING.read = previous


def _note_read(path: str) -> None:
    read = getattr(_RECORDING, "read", None)
    if read is not None:
        read.add(path)


def go_files(directory: str) -> list[str]:
    """The non-test Go files of a directory, as a foreign package is read from them."""
    return _go_files(directory)


class ModuleTypes:
    """Foreign packages' types, read on demand and cached (thread-safe: the server shares it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._layouts: dict[str, Layout | None] = {}
        self._prefixes: dict[str, tuple[tuple[str, str], ...]] = {}  # importer -> (import prefix, directory)
        # directory -> (stamp, package, meaning, the import path it was read as)
        self._packages: dict[str, tuple[tuple, ForeignPackage | None, int, str]] = {}
        self._buffers: dict[str, bytes] = {}  # path -> the editor's text of an open file
        # One marker per package as one module sees it: the same import path may be another
        # directory (a replace, a vendor tree), or no readable one, in another module.
        self._markers: dict[tuple[str, str | None], int] = {}
        self._paths: list[str] = []  # marker number -> import path
        self._dirs: list[str | None] = []  # marker number -> directory

    # ------------------------------------------------------------------ naming
    def marker(self, import_path: str, directory: str | None) -> str:
        with self._lock:
            key = (import_path, directory)
            number = self._markers.get(key)
            if number is None:
                number = self._markers[key] = len(self._paths)
                self._paths.append(import_path)
                self._dirs.append(directory)
            return f"⟦{number}⟧"

    def written_in(self, type_text: str, imports: dict[str, str]) -> str | None:
        """A canonical type text as a file with these imports (name -> path) writes it: each
        `⟦n⟧` becomes the file's name for that package; None if the file does not import one."""
        names = {path: name for name, path in imports.items() if name not in ("_", ".")}
        missing = False

        def rename(match: re.Match[str]) -> str:
            nonlocal missing
            with self._lock:
                import_path = self._paths[int(match.group(1))]
            name = names.get(import_path)
            if name is None:
                missing = True
                return match.group(0)
            return name

        written = _MARKERS.sub(rename, type_text)
        return None if missing else written

    def package_of_marker(self, marker: str) -> ForeignPackage | None:
        match = MARKER.match(marker)
        if match is None:
            return None
        with self._lock:
            import_path = self._paths[int(match.group(1))]
            directory = self._dirs[int(match.group(1))]
        return self._read(directory, import_path) if directory else None

    # ------------------------------------------------------------------ finding directories
    def layout(self, directory: str) -> Layout | None:
        """The checkout around a package directory: its go.mod, else its GOPATH-style root."""
        with self._lock:
            known = directory in self._layouts
            found = self._layouts.get(directory)
        if not known:
            found = _read_layout(directory)
            with self._lock:
                self._layouts[directory] = found
        if found is not None and found.module:
            _note_read(os.path.join(found.root, "go.mod"))
        return found

    def directory(self, importer: str, import_path: str) -> str | None:
        """Where the package at `import_path`, imported from the package in `importer`, lies."""
        if not _valid_import_path(import_path):
            return None  # half-typed or mangled text: no directory holds it (and `os.stat` of a NUL fails)
        layout = self.layout(importer)
        if layout is None:
            return None
        for prefix, target in layout.replaces:
            if import_path == prefix or import_path.startswith(prefix + "/"):
                candidate = os.path.join(target, import_path[len(prefix) :].lstrip("/"))
                if _has_go(candidate):
                    return candidate
        if layout.module and (import_path == layout.module or import_path.startswith(layout.module + "/")):
            candidate = os.path.join(layout.root, import_path[len(layout.module) :].lstrip("/"))
            if _has_go(candidate):
                return candidate
        vendored = os.path.join(layout.root, "vendor", import_path)
        if _has_go(vendored):
            return vendored
        if not layout.module:
            return _vendored_above(importer, import_path) or _by_suffix(importer, import_path) or self._under_tree_prefix(importer, import_path)
        return None

    def _under_tree_prefix(self, importer: str, import_path: str) -> str | None:
        """GOPATH-era trees: a package named by one trailing element (`terraform` of
        `github.com/hashicorp/terraform/terraform`), under a prefix that the importer's other
        imports show to be the tree's own (`.../terraform/helper/schema` found at `helper/schema`)."""
        for prefix, base in self._tree_prefixes(importer):
            if import_path.startswith(prefix + "/"):
                candidate = os.path.join(base, import_path[len(prefix) + 1 :])
                if _has_go(candidate):
                    return candidate
        return None

    def _tree_prefixes(self, importer: str) -> tuple[tuple[str, str], ...]:
        with self._lock:
            cached = self._prefixes.get(importer)
        if cached is not None:
            return cached
        found: dict[str, str] = {}
        for other in sorted(_imports_of(importer)):
            located = _by_suffix(importer, other)
            if located is None:
                continue
            # The tail found as directories, taken off both the import path and the directory.
            base, parts = located, other.split("/")
            while len(parts) > 1 and os.path.basename(base) == parts[-1]:
                base, parts = os.path.dirname(base), parts[:-1]
            found.setdefault("/".join(parts), base)
        prefixes = tuple(sorted(found.items(), key=lambda item: -len(item[0])))
        with self._lock:
            self._prefixes[importer] = prefixes
        return prefixes

    # ------------------------------------------------------------------ reading
    def package(self, importer: str, import_path: str) -> ForeignPackage | None:
        directory = self.directory(importer, import_path)
        if directory is None:
            return None
        self.marker(import_path, directory)
        return self._read(directory, import_path)

    # ------------------------------------------------------------------ open buffers
    def set_buffer(self, path: str, source: bytes | None) -> None:
        """The editor's text of `path` (None: the file is closed, the disk's text counts again)."""
        with self._lock:
            if source is None:
                self._buffers.pop(path, None)
            else:
                self._buffers[path] = source

    def meaning(self, directory: str) -> int | None:
        """What other packages can see of the package in `directory` as it was last read
        (None: never read): a hash of its types, methods and facts, not of where they lie, so
        an edit of a comment or a function body in one of its files does not change it."""
        with self._lock:
            cached = self._packages.get(directory)
        return cached[2] if cached is not None else None

    def meaning_now(self, directory: str) -> int | None:
        """`meaning` after reading the package again if its files or buffers changed."""
        with self._lock:
            cached = self._packages.get(directory)
        if cached is None:
            return None
        self._read(directory, cached[3])
        return self.meaning(directory)

    # ------------------------------------------------------------------ reading
    def _read(self, directory: str, import_path: str) -> ForeignPackage | None:
        _note_read(directory)
        with self._lock:
            buffers = {p: s for p, s in self._buffers.items() if os.path.dirname(p) == directory and _is_package_file(p)}
        files = sorted(set(_go_files(directory)) | set(buffers))
        # (a buffer by its text: its file's time says nothing of what is typed and unsaved)
        stamp = tuple((f, hash(buffers[f]) if f in buffers else _mtime(f)) for f in files)
        with self._lock:
            cached = self._packages.get(directory)
            if cached is not None and cached[0] == stamp:
                return cached[1]
        package = self._parse(directory, import_path, files, buffers)
        with self._lock:
            self._packages[directory] = (stamp, package, _meaning(package), import_path)
        return package

    def _parse(self, directory: str, import_path: str, files: list[str], buffers: dict[str, bytes]) -> ForeignPackage | None:
        structs: dict[str, StructDecl] = {}
        named: dict[str, str] = {}
        methods: dict[tuple[str, str], ReceiverUse] = {}
        stopping: set[str] = set()  # what never returns, as `never_returning` spells it
        per_file = []
        sources: dict[str, SourceFile] = {}
        for path in files:
            source = buffers.get(path)
            if source is None:
                try:
                    source = Path(path).read_bytes()
                except OSError:
                    continue
            sources[path] = SourceFile(path, source)
            facts = read_facts(sources[path])
            per_file.append(facts)
            named.update({k: v for k, v in facts.named_types.items() if k not in named})
        own = self.marker(import_path, directory)
        for facts in per_file:
            def canonical(type_text: str, imports: dict[str, str] = facts.imports) -> str:
                return self._canonical(type_text, own, named, imports, directory)

            for name, struct in facts.structs.items():
                if name in structs:
                    continue  # declared per platform: the first is enough for field types
                fields = tuple(replace(f, type_text=canonical(f.type_text)) for f in struct.fields)
                structs[name] = replace(struct, fields=fields)
            for name, underlying in facts.named_types.items():
                named[name] = canonical(underlying)
            for key, decl in facts.methods.items():
                use = receiver_use(decl)
                if use is not None:
                    methods.setdefault(key, use)
                if never_returns(decl.node):
                    stopping.add(f"{key[0]}.{key[1]}")
            stopping.update(name for name, decl in facts.funcs.items() if never_returns(decl.node))
        decoded = _decoded_here(per_file, structs, own)
        stores = FieldStores(sources)
        # Any field it makes, its own structs' and those of values it holds (`p.Spec.Resources.Requests`).
        made = frozenset(name for name in stores.field_names() if stores.manages(name, constructors=False))
        found = structs or named or methods or stopping
        callbacks = callback_fields(sources)
        return ForeignPackage(import_path, structs, named, methods, decoded, made, frozenset(stopping), callbacks) if found or callbacks else None

    def _canonical(self, type_text: str, own: str, declared: dict[str, str], imports: dict[str, str], directory: str) -> str:
        """A foreign package's type text with its names made canonical (`Meta` -> `⟦n⟧.Meta`)."""

        def rename(match: re.Match[str]) -> str:
            first, second = match.group(1), match.group(2)
            if second is not None:
                import_path = imports.get(first)
                if import_path is None:
                    return match.group(0)
                return f"{self.marker(import_path, self.directory(directory, import_path))}.{second}"
            if first in _KEYWORDS or first in _PREDECLARED or first not in declared:
                return first
            return f"{own}.{first}"

        return _IDENTIFIER.sub(rename, type_text)


def _decoded_here(per_file: list, structs: dict[str, StructDecl], own: str) -> frozenset[str]:
    """The package's structs its own code decodes (`yaml.Unmarshal(b, &c)` in its loader, or an
    Unmarshal method of their own), and the structs those hold (`Comments []AdditionalComment`):
    the package that declares a config type is where it is read from its file."""
    found: set[str] = set()
    for facts in per_file:
        found.update(name for (name, method) in facts.methods if method in UNMARSHAL_METHODS)
        for decl in [*facts.funcs.values(), *facts.methods.values(), *facts.inits]:
            if decl.body is not None and DECODER_TEXT.search(decl.body.text or b""):
                found.update(_struct_named(t) for t in decode_target_types(decl.node) if not t.startswith("."))
    found &= set(structs)
    held = re.compile(re.escape(own) + r"\.(\w+)")
    queue = list(found)
    while queue:
        for f in structs[queue.pop()].fields:
            for name in held.findall(f.type_text):
                if name in structs and name not in found:
                    found.add(name)
                    queue.append(name)
    return frozenset(found)


def _meaning(package: ForeignPackage | None) -> int:
    """`ModuleTypes.meaning` of a package as read: its contents without the positions."""
    if package is None:
        return hash(None)
    structs = tuple(
        (name, struct.type_params, tuple((f.name, f.type_text, f.tag, f.embedded) for f in struct.fields))
        for name, struct in sorted(package.structs.items())
    )
    return hash(
        (
            structs,
            tuple(sorted(package.named_types.items())),
            tuple(sorted(package.methods.items())),
            tuple(sorted(package.decoded)),
            tuple(sorted(package.made_fields)),
            tuple(sorted(package.never_returning)),
            tuple(sorted(package.callback_fields)),
        )
    )


def _struct_named(type_text: str) -> str:
    """`T` of `*T`, `[]T`, `[]*T` (a decode target's declared type)."""
    return type_text.lstrip("*[]").split("[", 1)[0].strip()


def _read_layout(directory: str) -> Layout | None:
    current = os.path.abspath(directory)
    for _ in range(MAX_DEPTH):
        go_mod = os.path.join(current, "go.mod")
        if os.path.isfile(go_mod):
            module, replaces = _read_go_mod(go_mod, current)
            return Layout(module, current, replaces)
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return Layout("", os.path.abspath(directory), ())


def _read_go_mod(path: str, root: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "", ()
    module = re.search(r"^\s*module\s+(\S+)", text, re.M)
    replaces = []
    for old, new in re.findall(r"^\s*(?:replace\s+)?(\S+)(?:\s+v\S+)?\s+=>\s+(\.{1,2}/\S*)", text, re.M):
        replaces.append((old.strip('"'), os.path.normpath(os.path.join(root, new))))
    return (module.group(1).strip('"') if module else ""), tuple(replaces)


def _vendored_above(importer: str, import_path: str) -> str | None:
    """GOPATH-era trees: the go tool looks for `vendor/<import path>` in the importer's
    directory and in every directory above it, the nearest first."""
    current = os.path.abspath(importer)
    for _ in range(MAX_DEPTH):
        candidate = os.path.join(current, "vendor", import_path)
        if _has_go(candidate):
            return candidate
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return None


def _by_suffix(importer: str, import_path: str) -> str | None:
    """GOPATH-era trees: the longest tail of the import path (two parts at least) found as a
    directory above the importer."""
    parts = import_path.split("/")
    current = os.path.abspath(importer)
    for _ in range(MAX_DEPTH):
        for size in range(len(parts) - 1, 1, -1):
            candidate = os.path.join(current, *parts[-size:])
            if _has_go(candidate):
                return candidate
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return None


_IMPORT_SPEC = re.compile(rb'^\s*(?:import\s+)?(?:[\w.]+\s+)?"([^"\s]+)"', re.M)


def _imports_of(directory: str) -> set[str]:
    """The import paths the Go files of a directory name (read from their import blocks)."""
    found: set[str] = set()
    for path in _go_files(directory):
        try:
            head = Path(path).read_bytes()
        except OSError:
            continue
        end = head.find(b"\nfunc ")
        block = head if end < 0 else head[:end]
        found.update(m.decode("utf-8", "replace") for m in _IMPORT_SPEC.findall(block))
    return found


# Characters the Go specification leaves out of import paths (besides spaces, control
# characters and U+FFFD): "Implementation restriction" under "Import declarations".
_NOT_IN_IMPORT_PATHS = frozenset('!"#$%&\'()*,:;<=>?[\\]^`{|}\ufffd')


@functools.lru_cache(maxsize=4096)
def _valid_import_path(import_path: str) -> bool:
    # (kept per path: every check of a package asks it of each import of each of its files)
    return bool(import_path) and all(c.isprintable() and not c.isspace() and c not in _NOT_IN_IMPORT_PATHS for c in import_path)


def _go_files(directory: str) -> list[str]:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [os.path.join(directory, n) for n in names if _is_package_file(n)]


def _is_package_file(name: str) -> bool:
    return name.endswith(".go") and not name.endswith("_test.go")


_LISTED: dict[str, tuple[int, bool]] = {}  # directory -> (its modification time, whether it holds Go files)


def _has_go(directory: str) -> bool:
    """Whether `directory` holds non-test Go files. Kept by the directory's modification time,
    which adding, removing or renaming a file changes: every check of a package asks this of
    each of its imports, and listing the directories was most of a re-check's time."""
    try:
        status = os.stat(directory)
    except OSError:
        return False
    if not stat.S_ISDIR(status.st_mode):
        return False
    known = _LISTED.get(directory)
    if known is not None and known[0] == status.st_mtime_ns:
        return known[1]
    found = bool(_go_files(directory))
    if time.time_ns() - status.st_mtime_ns > _SETTLED_NS:
        _LISTED[directory] = (status.st_mtime_ns, found)
    return found


# A directory changed this recently may change again within its clock's granularity without
# a new modification time: its listing is not kept until it has been left alone this long.
_SETTLED_NS = 2_000_000_000


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


MODULES = ModuleTypes()  # one per process: packages of a module share what they read

__all__ = ["MODULES", "FieldDecl", "ForeignPackage", "ModuleTypes"]
