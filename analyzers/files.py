"""Reading and writing the user's Go files.

Reading: only regular files are read, and opening never blocks, so a FIFO or a device that
happens to be named `*.go` is refused instead of hanging the reader forever.

Writing (`--fix`): a fixed file is written to a temporary file beside it and renamed over
it, so a reader (or a `kill -9`) never sees a half-written file, and keeps its mode and, as
far as we may, its owner. The write must never lose a change made by someone else since
the file was read (an editor saving, another `nilmap check --fix`): the file is compared
with what was read just before the rename, and on Linux the rename is an atomic exchange
after which the file taken out is compared again, so even a save that lands between the
comparison and the rename is put back rather than overwritten. A symbolic link is followed
and its target fixed in place (the link stays a link); a file with other hard links is
refused, since a rename would split them.
"""
from __future__ import annotations

import ctypes
import errno
import os
import secrets
import stat
from dataclasses import dataclass

_READ_CHUNK = 1 << 20


class NotRegularFile(OSError):
    """The path names something that is not a regular file (a FIFO, a device, a socket)."""


def read_regular(path: str) -> bytes:
    """The bytes of a regular file; raises OSError (NotRegularFile for a FIFO and the like).

    `O_NONBLOCK` makes opening a FIFO with no writer return at once, so the file type can
    be checked before anything waits on it; it has no effect on reads of regular files.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", path)
        chunks = []
        while chunk := os.read(fd, _READ_CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class WriteRefused:
    """Why a fixed file was not written; the file is as it was."""

    path: str
    reason: str


def write_if_unchanged(path: str, expected: bytes, new: bytes) -> WriteRefused | None:
    """Replace the contents of `path` with `new` if it still holds `expected`; None when done."""
    target = os.path.realpath(path) if os.path.islink(path) else path
    try:
        info = os.stat(target)
    except OSError as exc:
        return WriteRefused(path, f"not fixed: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return WriteRefused(path, "not fixed: not a regular file")
    if info.st_nlink > 1:
        return WriteRefused(path, f"not fixed: it has {info.st_nlink} hard links, which rewriting it would separate")
    try:
        if read_regular(target) != expected:
            return _changed(path)
        temporary = _write_temporary(target, new, info)
    except OSError as exc:
        return WriteRefused(path, f"not fixed: {exc.strerror or exc}")
    try:
        return _swap_in(path, target, temporary, expected, new)
    finally:
        _remove(temporary)


def _changed(path: str) -> WriteRefused:
    return WriteRefused(path, "not fixed: it changed while nilmap was fixing it; run nilmap again")


def _write_temporary(target: str, data: bytes, info: os.stat_result) -> str:
    """`data` in a new hidden file beside `target` (never taken for a Go file), with its mode."""
    directory, name = os.path.split(target)
    temporary = os.path.join(directory, f".{name}.nilmap-{os.getpid()}-{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except OSError:
            pass  # not ours to give away: the file keeps our ownership, as any editor's save would
        os.fchmod(fd, stat.S_IMODE(info.st_mode))
        os.fsync(fd)  # the data is on disk before the name points at it
    except BaseException:
        os.close(fd)
        _remove(temporary)
        raise
    os.close(fd)
    return temporary


def _swap_in(path: str, target: str, temporary: str, expected: bytes, new: bytes) -> WriteRefused | None:
    """Put `temporary` in the place of `target`, unless `target` no longer holds `expected`."""
    try:
        ours = os.stat(temporary).st_ino
        exchanged = _exchange(temporary, target)
    except OSError as exc:
        return WriteRefused(path, f"not fixed: {exc.strerror or exc}")
    if not exchanged:
        # No atomic exchange here: the comparison just before the rename is all we have.
        try:
            if read_regular(target) != expected:
                return _changed(path)
            os.replace(temporary, target)
        except OSError as exc:
            return WriteRefused(path, f"not fixed: {exc.strerror or exc}")
        return None
    try:
        taken_out = read_regular(temporary)
    except OSError:
        taken_out = None
    if taken_out == expected:
        return None
    # Someone wrote the file between our comparison and the exchange: give theirs back, unless
    # they have written again since, over ours or into it (then theirs is in place already).
    try:
        if os.stat(target).st_ino == ours and read_regular(target) == new:
            _exchange(temporary, target)
    except OSError:
        pass
    return _changed(path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2() -> object | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def _exchange(a: str, b: str) -> bool:
    """Atomically swap the files named `a` and `b`; False where the system cannot."""
    if _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)  # type: ignore[operator]
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # a file system without exchange (some network and FUSE ones)
    raise OSError(code, os.strerror(code), b)
