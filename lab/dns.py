#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""dns.py - a tiny authoritative DNS responder for the bounce lab.

It answers from a zone file and forwards nothing: a name it does not hold
is NXDOMAIN, a type it does not hold for a known name is an empty answer.
UDP and TCP on ADDR:53.

usage: dns.py ADDR ZONEFILE PIDFILE

Zone file lines: NAME TYPE VALUE (A, MX "PREF HOST", PTR, TXT, CNAME);
'#' starts a comment.  Names are absolute, without the trailing dot.
"""
import os
import socket
import struct
import sys
import threading

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "PTR": 12, "MX": 15, "TXT": 16,
         "AAAA": 28}


def load(path):
    zone = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, typ, value = line.split(None, 2)
            zone.setdefault(name.lower().rstrip("."), []).append(
                (typ.upper(), value))
    return zone


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def decode_name(msg, off):
    labels = []
    jumped = False
    end = off
    for _ in range(128):
        n = msg[off]
        if n & 0xC0 == 0xC0:
            if not jumped:
                end = off + 2
            off = ((n & 0x3F) << 8) | msg[off + 1]
            jumped = True
            continue
        if n == 0:
            if not jumped:
                end = off + 1
            break
        labels.append(msg[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n
    return ".".join(labels), end


def rdata(typ, value):
    if typ == "A":
        return socket.inet_aton(value)
    if typ in ("PTR", "CNAME", "NS"):
        return encode_name(value)
    if typ == "MX":
        pref, host = value.split()
        return struct.pack("!H", int(pref)) + encode_name(host)
    if typ == "TXT":
        b = value.strip('"').encode()
        return bytes([len(b)]) + b
    raise ValueError(typ)


def answer(zone, query):
    if len(query) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", query[:6])
    if qd != 1:
        return struct.pack("!HHHHHH", qid, 0x8181, 0, 0, 0, 0)  # FORMERR-ish
    name, off = decode_name(query, 12)
    qtype, qclass = struct.unpack("!HH", query[off:off + 4])
    question = query[12:off + 4]
    key = name.lower().rstrip(".")
    rd = flags & 0x0100
    if key not in zone:
        hdr = struct.pack("!HHHHHH", qid, 0x8403 | rd, 1, 0, 0, 0)
        return hdr + question
    answers = []
    for typ, value in zone[key]:
        if TYPES[typ] == qtype or (typ == "CNAME" and qtype != 5):
            answers.append(encode_name(key) + struct.pack(
                "!HHIH", TYPES[typ], 1, 60, len(rdata(typ, value))) +
                rdata(typ, value))
    hdr = struct.pack("!HHHHHH", qid, 0x8400 | rd, 1, len(answers), 0, 0)
    return hdr + question + b"".join(answers)


def serve_udp(sock, zone):
    while True:
        data, peer = sock.recvfrom(4096)
        try:
            reply = answer(zone, data)
        except Exception:  # a malformed query: no answer, keep serving
            reply = None
        if reply:
            sock.sendto(reply, peer)


def serve_tcp(sock, zone):
    while True:
        conn, _ = sock.accept()
        try:
            conn.settimeout(5)
            n = struct.unpack("!H", conn.recv(2))[0]
            data = b""
            while len(data) < n:
                chunk = conn.recv(n - len(data))
                if not chunk:
                    break
                data += chunk
            reply = answer(zone, data)
            if reply:
                conn.sendall(struct.pack("!H", len(reply)) + reply)
        except Exception:
            pass
        finally:
            conn.close()


def main():
    addr, zonefile, pidfile = sys.argv[1:4]
    zone = load(zonefile)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    u.bind((addr, 53))
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((addr, 53))
    t.listen(8)
    with open(pidfile, "w") as f:
        f.write("%d\n" % os.getpid())
    threading.Thread(target=serve_tcp, args=(t, zone), daemon=True).start()
    serve_udp(u, zone)


if __name__ == "__main__":
    main()
