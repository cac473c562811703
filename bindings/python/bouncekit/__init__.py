# SPDX-License-Identifier: BSD-2-Clause
"""bouncekit - decode bounce messages into one record per failed recipient.

A ctypes binding over the shared library libbouncekit.so.1 (no compiler
needed).  The records are the dicts of the command's JSON
(`bouncekit parse --format json`): Sisimai's field names, see docs/record.md.

    import bouncekit
    for r in bouncekit.parse("/var/mail/bounces"):
        print(r["recipient"], r["reason"])

The library is found as "libbouncekit.so.1" by the dynamic loader
(installed with `make install` or the libbouncekit1 package), or at the
path in the environment variable BOUNCEKIT_LIBRARY.
"""

import ctypes
import json
import os
import threading
import warnings

__all__ = [
    "decode", "parse", "classify", "Parser", "BouncekitError",
    "BouncekitWarning", "library_path",
]
__version__ = "0.1.0"

# enum bk_format
_FMT_JSON = 0

# The library's structs that Python fills or reads.  Each is given a
# buffer larger than the struct (_SLACK bytes), so that a field appended to
# it by a later library version is written into memory we own.
_SLACK = 1024


class _Limits(ctypes.Structure):
    _fields_ = [
        ("message_size", ctypes.c_size_t),
        ("header_size", ctypes.c_size_t),
        ("header_count", ctypes.c_uint),
        ("line_length", ctypes.c_size_t),
        ("mime_depth", ctypes.c_uint),
        ("mime_parts", ctypes.c_uint),
        ("decoded_size", ctypes.c_size_t),
        ("recipients", ctypes.c_uint),
    ]


class _Options(ctypes.Structure):
    _fields_ = [
        ("limits", _Limits),
        ("delivered", ctypes.c_bool),
        ("vacation", ctypes.c_bool),
        ("catch_fn", ctypes.c_void_p),
        ("catch_arg", ctypes.c_void_p),
    ]


class _Err(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("msg", ctypes.c_char * 512)]


class _SourceOpts(ctypes.Structure):
    _fields_ = [("recursive", ctypes.c_bool), ("max_message", ctypes.c_size_t)]


class _Input(ctypes.Structure):
    _fields_ = [
        ("data", ctypes.c_void_p),
        ("len", ctypes.c_size_t),
        ("origin", ctypes.c_char_p),
        ("nth", ctypes.c_ulong),
    ]


class _Verdict(ctypes.Structure):
    _fields_ = [
        ("reason", ctypes.c_char * 32),
        ("status", ctypes.c_char * 16),
        ("replycode", ctypes.c_char * 4),
        ("command", ctypes.c_char * 8),
        ("hardbounce", ctypes.c_bool),
    ]


def _new(struct):
    """A zeroed struct in a buffer _SLACK bytes larger than it."""
    buf = ctypes.create_string_buffer(ctypes.sizeof(struct) + _SLACK)
    obj = struct.from_buffer(buf)
    obj._buf = buf      # keep the memory alive with the object
    return obj


class BouncekitError(Exception):
    """The library failed: memory ran out, a file could not be opened, a
    message is over a limit (the library's BK_E* code is in .code)."""

    def __init__(self, message, code=0):
        super().__init__(message)
        self.code = code


class BouncekitWarning(UserWarning):
    """One input of parse() could not be read or decoded; the rest was."""


def _load():
    path = os.environ.get("BOUNCEKIT_LIBRARY") or "libbouncekit.so.1"
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(
            "bouncekit: cannot load %s (%s): install libbouncekit "
            "(make install, or the libbouncekit1 package), or set "
            "BOUNCEKIT_LIBRARY to the path of libbouncekit.so.1" % (path, e)
        ) from None
    P = ctypes.c_void_p
    sigs = {
        "bk_options_init": (None, [P]),
        "bk_parser_new": (P, [P, P]),
        "bk_parser_free": (None, [P]),
        "bk_decode": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_size_t,
                                     ctypes.c_char_p, ctypes.POINTER(P), P]),
        "bk_records_to_text": (P, [ctypes.c_int, P, ctypes.c_size_t]),
        "bk_classify_text": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_size_t, P]),
        "bk_source_open": (ctypes.c_int, [ctypes.POINTER(P), ctypes.c_char_p, P, P]),
        "bk_source_next": (ctypes.c_int, [P, P, P]),
        "bk_source_close": (None, [P]),
        # since 0.1.0 too, but looked up softly (a library without them
        # still serves everything but explain=True)
        "bk_parser_set_explain": (None, [P, ctypes.c_bool]),
        "bk_classify_text_explain": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_size_t,
                                                    P, ctypes.POINTER(P)]),
    }
    for name, (res, args) in sigs.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            if name in ("bk_parser_set_explain", "bk_classify_text_explain"):
                continue
            raise
        fn.restype = res
        fn.argtypes = args
    # free() as the process resolves it (the one malloc() was, even when a
    # preloaded allocator or a sanitizer replaces it), not libc's own
    libc = ctypes.CDLL(None)
    libc.free.restype = None
    libc.free.argtypes = [ctypes.c_void_p]
    return lib, libc


_lib, _libc = _load()


def library_path():
    """The library's name or path, as given to the loader."""
    return _lib._name


def _errmsg(err, what):
    msg = err.msg.decode("utf-8", "replace")
    return msg or what


class Parser:
    """A parser with its options; reuse it for many messages (its memory
    is reused).  Not to be shared between threads at the same time.

        with bouncekit.Parser(delivered=True) as p:
            records = p.decode(data)
    """

    def __init__(self, delivered=False, vacation=False, explain=False):
        opt = _new(_Options)
        _lib.bk_options_init(ctypes.byref(opt))
        opt.delivered = bool(delivered)
        opt.vacation = bool(vacation)
        err = _new(_Err)
        self._p = _lib.bk_parser_new(ctypes.byref(opt), ctypes.byref(err))
        if not self._p:
            raise BouncekitError(_errmsg(err, "cannot make a parser"), err.code)
        if explain:
            if not hasattr(_lib, "bk_parser_set_explain"):
                self.close()
                raise BouncekitError("this libbouncekit has no explain", -2)
            _lib.bk_parser_set_explain(self._p, True)

    def close(self):
        if self._p:
            _lib.bk_parser_free(self._p)
            self._p = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def _decode(self, data, length, origin):
        if not self._p:
            raise ValueError("bouncekit: the parser is closed")
        recs = ctypes.c_void_p()
        err = _new(_Err)
        n = _lib.bk_decode(self._p, data, length, origin,
                           ctypes.byref(recs), ctypes.byref(err))
        if n < 0:
            raise BouncekitError(
                "%s: %s" % (origin.decode("utf-8", "replace"),
                            _errmsg(err, "cannot decode")), n)
        if n == 0:
            return []
        text = _lib.bk_records_to_text(_FMT_JSON, recs, n)
        if not text:
            raise BouncekitError("out of memory writing the records", -1)
        try:
            return json.loads(ctypes.string_at(text).decode("utf-8"))
        finally:
            _libc.free(text)

    def decode(self, data, origin="<memory>"):
        """The records (list of dicts) of one message given as bytes."""
        if isinstance(data, str):
            raise TypeError("bouncekit.decode: data must be bytes, not str "
                            "(read the file in binary mode)")
        data = bytes(data)
        if isinstance(origin, str):
            origin = origin.encode("utf-8", "surrogateescape")
        return self._decode(data, len(data), origin)


_local = threading.local()


def _parser(delivered, vacation, explain=False):
    cache = getattr(_local, "parsers", None)
    if cache is None:
        cache = _local.parsers = {}
    key = (bool(delivered), bool(vacation), bool(explain))
    if key not in cache:
        cache[key] = Parser(delivered, vacation, explain)
    return cache[key]


def decode(data, delivered=False, vacation=False, explain=False):
    """Decode one message (bytes) into a list of record dicts.

    A message that is not a bounce gives [].  delivered=True also gives
    records of successful deliveries, vacation=True those of auto-replies,
    explain=True an "explain" dict in each record: why it has its reason.
    Raises BouncekitError when the message is over the size limit (64 MiB)
    or memory ran out."""
    return _parser(delivered, vacation, explain).decode(data)


def parse(path, delivered=False, vacation=False, recursive=False,
          explain=False):
    """Decode every message of path: a message file, an mbox, a Maildir,
    a directory of message files (recursive=True: its sub-directories too)
    or "-" for standard input.  Returns the records of all of them, in
    order, as list of dicts, the same as `bouncekit parse --format json`.

    An item that cannot be read or decoded gives a BouncekitWarning and the
    rest is decoded; a path that does not exist raises FileNotFoundError
    (an OSError), one that cannot be opened OSError or BouncekitError."""
    p = _parser(delivered, vacation, explain)
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if isinstance(path, str):
        path = path.encode("utf-8", "surrogateescape")
    if path != b"-":
        os.stat(path)   # FileNotFoundError, PermissionError... as Python has them
    opts = _new(_SourceOpts)
    opts.recursive = bool(recursive)
    err = _new(_Err)
    src = ctypes.c_void_p()
    rc = _lib.bk_source_open(ctypes.byref(src), path, ctypes.byref(opts),
                             ctypes.byref(err))
    if rc < 0:
        raise BouncekitError(_errmsg(err, "cannot open %r" % path), rc)
    out = []
    inp = _new(_Input)
    try:
        while True:
            rc = _lib.bk_source_next(src, ctypes.byref(inp), ctypes.byref(err))
            if rc == 0:
                break
            if rc < 0:
                warnings.warn(_errmsg(err, "an input could not be read"),
                              BouncekitWarning, stacklevel=2)
                continue
            origin = inp.origin or b"<STDIN>"
            try:
                out.extend(p._decode(_view(inp), inp.len, origin))
            except BouncekitError as e:
                if e.code == -1:
                    raise
                warnings.warn(str(e), BouncekitWarning, stacklevel=2)
    finally:
        _lib.bk_source_close(src)
    return out


def _view(inp):
    # the message bytes, borrowed from the source until its next call
    return ctypes.cast(inp.data, ctypes.c_char_p)


def classify(text, explain=False):
    """Classify a free text (an SMTP reply, a log line) as the
    Diagnostic-Code of a bounce: a dict with reason, status, replycode,
    command and hardbounce (bool), as `bouncekit classify` prints; with
    explain=True also "explain", a dict saying why."""
    if isinstance(text, str):
        text = text.encode("utf-8", "surrogateescape")
    v = _new(_Verdict)
    why = None
    if explain:
        if not hasattr(_lib, "bk_classify_text_explain"):
            raise BouncekitError("this libbouncekit has no explain", -2)
        p = ctypes.c_void_p()
        rc = _lib.bk_classify_text_explain(text, len(text), ctypes.byref(v),
                                           ctypes.byref(p))
        if rc >= 0 and not p.value:
            raise BouncekitError("out of memory explaining the verdict", -1)
        if p.value:
            try:
                why = json.loads(ctypes.string_at(p.value).decode("utf-8"))
            finally:
                _libc.free(p.value)
    else:
        rc = _lib.bk_classify_text(text, len(text), ctypes.byref(v))
    if rc < 0:
        raise BouncekitError("cannot classify the text", rc)

    def s(b):
        return b.decode("utf-8", "replace")
    out = {
        "reason": s(v.reason),
        "status": s(v.status),
        "replycode": s(v.replycode),
        "command": s(v.command),
        "hardbounce": bool(v.hardbounce),
    }
    if explain:
        out["explain"] = why
    return out
