#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""mutate.py - the mutation suite: records must survive damaged bounces.

At test time it derives variants of our own fixtures (tests/golden/*.eml)
and, when present, of the shared corpus ($BOUNCEKIT_CORPUS, default
../shared/corpus: sisimai/maildir/bsd), one mutation at a time (a header removed or corrupted, other line
ends, quoting, folding, case, blank lines, quoted-printable, trailing white
space, a missing final boundary), decodes every variant of one mutation
with one bouncekit process over a temporary directory, and compares the
records with those of the unmutated files: a record is *kept* when the
same file still gives a record for the same recipient with the same
reason and the same status.

It fails when
  - a mutation keeps fewer records than tests/mutate.pins records for it
    (the floor: raise it with --update when the decoder gets better), or
  - on the shared corpus a target is missed: Date removed or corrupted
    100%, any one of Subject, From, Message-ID, To, Received removed at
    least 99%, all six removed at least 95%.

usage: tests/mutate.py [--update] [--table] BUILD_DIR
(temporary files go to $TMPDIR, /tmp by default; about 10 s with the
corpus, 2 s without)
  --table   print the records emitted and kept per mutation (docs use it)
  --update  write the kept counts as the new floors in tests/mutate.pins
Prints "mutate: N passed, N failed".
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(os.environ.get("BOUNCEKIT_CORPUS") or
                      os.path.join(ROOT, "..", "shared", "corpus"),
                      "sisimai", "maildir", "bsd")
PINS = os.path.join(HERE, "mutate.pins")
SIX = ["date", "subject", "from", "message-id", "to", "received"]

# ---- the message, as text (latin-1: every byte kept) ----


def split_head(t):
    """(header block, separator, body) of a message with LF line ends."""
    m = re.search(r"\n\n", t)
    if not m:
        return t, "", ""
    return t[:m.start() + 1], "\n", t[m.end():]


def fields(head):
    """The header block as a list of fields, each its lines joined."""
    out = []
    for line in head.splitlines(True):
        if line[:1] in (" ", "\t") and out:
            out[-1] += line
        else:
            out.append(line)
    return out


def field_name(f):
    m = re.match(r"([!-9;-~]+)[ \t]*:", f)
    return m.group(1).lower() if m else None


def edit_top(t, name, fn):
    """Apply fn to each top-level field called name; fn returns the new
    field text ("" removes it)."""
    head, sep, body = split_head(t)
    out = []
    for f in fields(head):
        out.append(fn(f) if field_name(f) == name else f)
    return "".join(out) + sep + body


def remove(name):
    return lambda t: edit_top(t, name, lambda f: "")


GARBAGE = {
    "date": "Date: not a date at all, 99 Foo 12345 77:88:99 +9999\n",
    "subject": "Subject: =?x-unknown?Q?=ZZ=ZZ?= \x01\n",
    "from": "From: <<<@@@>>>\n",
    "message-id": "Message-ID: <<garbage\n",
    "to": "To: ;;;@@ undisclosed\n",
    "received": "Received: from ; by ; garbage\n",
}


def corrupt(name):
    return lambda t: edit_top(t, name, lambda f: GARBAGE[name])


def remove_six(t):
    for n in SIX:
        t = edit_top(t, n, lambda f: "")
    return t


def eol(e):
    return lambda t: t.replace("\n", e)


CT_LINE = re.compile(r"(?im)^(content-type:[^\n]*(?:\n[ \t][^\n]*)*)")


def on_content_types(t, fn):
    return CT_LINE.sub(lambda m: fn(m.group(1)), t)


def quote_params(t):
    return on_content_types(t, lambda v: re.sub(
        r'(?i)(;\s*(?:boundary|charset|report-type|name)\s*=\s*)([^";\s]+)',
        r'\1"\2"', v))


def unquote_params(t):
    # only values a token may hold (RFC 2045): others keep their quotes
    return on_content_types(t, lambda v: re.sub(
        r'(?i)(;\s*(?:boundary|charset|report-type)\s*=\s*)'
        r'"([!#$%&\'*+.0-9A-Z^_`a-z{|}~-]+)"', r'\1\2', v))


def quote_report_type(t):
    return on_content_types(t, lambda v: re.sub(
        r'(?i)(report-type\s*=\s*)([^";\s]+)', r'\1"\2"', v))


def fold_content_type(t):
    def fold(v):
        if "\n" in v:
            return v
        return re.sub(r";\s*", ";\n\t", v)
    return on_content_types(t, fold)


def upper_names(t):
    """Every field name of every header block (top level, MIME parts,
    DSN fields) in upper case."""
    return re.sub(r"(?m)^([A-Za-z][A-Za-z0-9-]*)(?=[ \t]*:)",
                  lambda m: m.group(1).upper(), t)


def boundaries(t):
    return [m.group(2) for m in re.finditer(
        r'(?i)boundary\s*=\s*("?)([^";\s]+)\1', t)]


def dsn_blank_lines(t):
    """Three blank lines between the groups of each message/delivery-status
    part instead of one."""
    out = t
    for m in re.finditer(r"(?i)content-type:\s*message/(delivery-status|"
                         r"global-delivery-status)[^\n]*(?:\n[ \t][^\n]*)*\n",
                         t):
        rest = t[m.end():]
        hb = rest.find("\n\n")
        if hb < 0:
            continue
        start = m.end() + hb + 2
        end = t.find("\n--", start)
        if end < 0:
            end = len(t)
        part = t[start:end]
        groups = re.sub(r"\n[ \t]*\n(?=\S)", "\n\n\n\n", part.rstrip("\n"))
        groups += part[len(part.rstrip("\n")):]
        out = out.replace(part, groups, 1) if part else out
    return out


ADDR = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def qp_encode(body):
    """Quoted-printable with a soft line break inside every address."""
    lines = []
    for line in body.split("\n"):
        enc = line.replace("=", "=3D")
        enc = re.sub(r"[\x80-\xff]", lambda m: "=%02X" % ord(m.group(0)),
                     enc)
        if enc.endswith(" ") or enc.endswith("\t"):
            enc = enc[:-1] + "=%02X" % ord(enc[-1])
        enc = ADDR.sub(lambda m: m.group(0)[:max(1, len(m.group(0)) // 2)]
                       + "=\n" + m.group(0)[max(1, len(m.group(0)) // 2):],
                       enc)
        lines.append(enc)
    return "\n".join(lines)


def text_qp(t):
    """The first text/plain part (or a single-part message) that is not
    already encoded and names an address, in quoted-printable."""
    head, sep, body = split_head(t)
    if not sep:
        return t
    hs = [f for f in fields(head)]
    names = [field_name(f) for f in hs]
    ctype = "".join(f for f in hs if field_name(f) == "content-type").lower()
    if "multipart/" not in ctype:
        if "content-transfer-encoding" in names and not re.search(
                r"(?im)^content-transfer-encoding:\s*[78]bit", head):
            return t
        if ctype and "text/plain" not in ctype:
            return t
        if not ADDR.search(body):
            return t
        hs = [f for f in hs if field_name(f) != "content-transfer-encoding"]
        return ("".join(hs) + "Content-Transfer-Encoding: quoted-printable\n"
                + sep + qp_encode(body))
    # the first text/plain part of the multipart
    for m in re.finditer(r"(?m)^--[^\n]+\n", t):
        ph_start = m.end()
        pe = t.find("\n\n", ph_start)
        if pe < 0:
            break
        phead = t[ph_start:pe + 1]
        if re.match(r"--", phead):
            continue
        pct = re.search(r"(?im)^content-type:\s*([^;\s]+)", phead)
        kind = pct.group(1).lower() if pct else "text/plain"
        if kind != "text/plain":
            continue
        if re.search(r"(?im)^content-transfer-encoding:\s*(base64|quoted)",
                     phead):
            return t
        bend = t.find("\n--", pe + 2)
        if bend < 0:
            bend = len(t)
        pbody = t[pe + 2:bend]
        if not ADDR.search(pbody):
            return t
        phead = re.sub(r"(?im)^content-transfer-encoding:[^\n]*\n", "", phead)
        phead += "Content-Transfer-Encoding: quoted-printable\n"
        return t[:ph_start] + phead + "\n" + qp_encode(pbody) + t[bend:]
    return t


def trailing_ws(t):
    """Blanks at the end of every line that is not empty."""
    return re.sub(r"(?m)(?<=\S)$", " \t", t)


def no_final_boundary(t):
    for b in boundaries(t)[:1]:
        k = t.rfind("--" + b + "--")
        if k >= 0:
            e = t.find("\n", k)
            return t[:k] + (t[e + 1:] if e >= 0 else "")
    return t


MUTATIONS = []
for h in SIX:
    MUTATIONS.append(("%s-removed" % h, remove(h)))
    MUTATIONS.append(("%s-corrupt" % h, corrupt(h)))
MUTATIONS += [
    ("all-six-removed", remove_six),
    ("eol-crlf", eol("\r\n")),
    ("eol-cr", eol("\r")),
    ("params-quoted", quote_params),
    ("params-unquoted", unquote_params),
    ("report-type-quoted", quote_report_type),
    ("content-type-folded", fold_content_type),
    ("names-upper-case", upper_names),
    ("dsn-blank-lines", dsn_blank_lines),
    ("text-quoted-printable", text_qp),
    ("trailing-whitespace", trailing_ws),
    ("no-final-boundary", no_final_boundary),
]

TARGETS = {"date-removed": 100.0, "date-corrupt": 100.0,
           "all-six-removed": 95.0}
for h in SIX[1:]:
    TARGETS["%s-removed" % h] = 99.0

# ---- running ----


def load(paths):
    out = []
    for p in paths:
        with open(p, "rb") as fh:
            raw = fh.read().decode("latin-1")
        # one line end (LF) to mutate; eol-* puts others back
        out.append((os.path.basename(p),
                    raw.replace("\r\n", "\n").replace("\r", "\n")))
    return out


def decode(build, files, fn, tmp):
    d = tempfile.mkdtemp(dir=tmp)
    for i, (name, text) in enumerate(files):
        with open(os.path.join(d, "%04d-%s" % (i, name)), "wb") as fh:
            fh.write((fn(text) if fn else text).encode("latin-1"))
    r = subprocess.run([os.path.join(build, "bouncekit"), "parse", "-q",
                        "--delivered", "--vacation", "--format", "ndjson", d],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       timeout=120)
    recs = []
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        try:
            j = json.loads(line)
        except ValueError:
            continue
        recs.append((os.path.basename(j.get("origin", "")),
                     j.get("recipient", ""), j.get("reason", ""),
                     j.get("deliverystatus", "")))
    shutil.rmtree(d)
    return recs, r.returncode


def kept(base, got):
    """Records of base found again (file, recipient, reason, status)."""
    pool = {}
    for r in got:
        pool[r] = pool.get(r, 0) + 1
    k = 0
    for r in base:
        if pool.get(r, 0) > 0:
            pool[r] -= 1
            k += 1
    return k


def read_pins():
    pins = {}
    if os.path.exists(PINS):
        for line in open(PINS):
            line = line.split("#")[0].split()
            if len(line) == 3:
                pins[(line[0], line[1])] = int(line[2])
    return pins


def main(argv):
    update = "--update" in argv
    table = "--table" in argv
    args = [a for a in argv if not a.startswith("--")]
    build = args[0] if args else os.path.join(ROOT, "build")
    sets = [("fixtures", sorted(
        os.path.join(HERE, "golden", f)
        for f in os.listdir(os.path.join(HERE, "golden"))
        if f.endswith(".eml")))]
    if os.path.isdir(CORPUS):
        sets.append(("corpus", sorted(
            os.path.join(CORPUS, f) for f in os.listdir(CORPUS))))
    else:
        print("skip mutate corpus: %s not found (the shared corpus is "
              "optional)" % CORPUS)
    pins = read_pins()
    newpins = {}
    passed = failed = 0
    tmp = tempfile.mkdtemp(prefix="bk-mutate.")
    try:
        for setname, paths in sets:
            files = load(paths)
            base, rc = decode(build, files, None, tmp)
            if table:
                print("%-24s %-8s %6s %6s %7s" % ("mutation", "set",
                                                  "emitted", "kept", "kept%"))
                print("%-24s %-8s %6d %6d %7s" % ("(none)", setname,
                                                  len(base), len(base),
                                                  "100.0"))
            for name, fn in MUTATIONS:
                got, rc = decode(build, files, fn, tmp)
                k = kept(base, got)
                pct = 100.0 * k / len(base) if base else 100.0
                newpins[(setname, name)] = k
                if table:
                    print("%-24s %-8s %6d %6d %7.1f" % (name, setname,
                                                        len(got), k, pct))
                ok = True
                why = []
                if rc > 1:
                    ok = False
                    why.append("bouncekit exit status %d" % rc)
                pin = pins.get((setname, name))
                if pin is not None and k < pin and not update:
                    ok = False
                    why.append("kept %d < pinned %d" % (k, pin))
                tgt = TARGETS.get(name)
                if setname == "corpus" and tgt is not None and pct < tgt:
                    ok = False
                    why.append("kept %.1f%% < target %.0f%%" % (pct, tgt))
                if ok:
                    passed += 1
                    print("ok   mutate %s %s: %d/%d kept (%.1f%%)" % (
                        setname, name, k, len(base), pct))
                else:
                    failed += 1
                    print("FAIL mutate %s %s: %d/%d kept (%.1f%%): %s" % (
                        setname, name, k, len(base), pct, "; ".join(why)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if update:
        for key in pins:
            newpins.setdefault(key, pins[key])
        with open(PINS, "w") as fh:
            fh.write("# tests/mutate.py floors: set mutation records-kept "
                     "(written by tests/mutate.py --update)\n")
            for (s, n), k in sorted(newpins.items()):
                fh.write("%s %s %d\n" % (s, n, k))
        print("updated %s" % PINS)
    print("mutate: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
