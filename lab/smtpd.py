#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""smtpd.py - the lab's scripted SMTP server, for replies that no real
server on this machine can be made to give.

usage: smtpd.py ADDR PORT PIDFILE silent
       smtpd.py ADDR PORT PIDFILE script SCRIPTFILE
       smtpd.py ADDR PORT PIDFILE sink MBOX DOMAIN...

silent: accepts each connection and never says anything (the sender's
        connection or greeting timeout fires).
script: a plain ESMTP dialogue; the reply to RCPT TO is taken from
        SCRIPTFILE by the recipient domain's first label, e.g. a recipient
        user@spam.example.net gets the line keyed "spam".  Lines of the
        file: KEY<TAB>STAGE<TAB>REPLY<TAB>SOURCE (STAGE rcpt or data: the
        stage at which the reply is given; SOURCE where the provider
        publishes the text).  Other recipients are accepted.
sink:   the sender's home for an MTA that only relays (nullmailer): a
        recipient in one of the DOMAINs is taken and the message appended
        to MBOX (with a "From " line and a Return-Path); any other
        recipient gets a temporary 451, so that the MTA tries its next
        remote for it.
"""
import os
import socket
import sys
import threading
import time


def load(path):
    script = {}
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            key, stage, reply, _source = line.rstrip("\n").split("\t")
            script[key] = (stage, reply)
    return script


def readline(f):
    line = f.readline(4096)
    if not line:
        raise EOFError
    return line.decode("latin-1").rstrip("\r\n")


def deliver(mbox, frm, data):
    """Append one message to the mbox file, its body lines ">From "-quoted."""
    out = ["From %s %s" % (frm or "MAILER-DAEMON", time.asctime(time.gmtime())),
           "Return-Path: <%s>" % frm]
    for line in data:
        if line.startswith(".."):
            line = line[1:]
        if line.startswith("From "):
            line = ">" + line
        out.append(line)
    with open(mbox, "a", encoding="latin-1") as f:
        f.write("\n".join(out) + "\n\n")


def dialogue(conn, script, name, sink=None):
    f = conn.makefile("rb")

    def say(text):
        conn.sendall(text.encode() + b"\r\n")

    say("220 %s ESMTP" % name)
    pending = None  # the reply to give at DATA's end
    rcpts = 0
    while True:
        line = readline(f)
        verb = line[:4].upper()
        if verb in ("EHLO", "HELO"):
            if verb == "EHLO":
                say("250-%s\r\n250-PIPELINING\r\n250-8BITMIME\r\n"
                    "250 ENHANCEDSTATUSCODES" % name)
            else:
                say("250 %s" % name)
        elif verb == "MAIL":
            pending, rcpts = None, 0
            frm = line.split(":", 1)[1].strip().split(" ")[0].strip("<>")
            say("250 2.1.0 Ok")
        elif verb == "RCPT":
            addr = line.split(":", 1)[1].strip().split()[0].strip("<>")
            key = addr.rsplit("@", 1)[-1].split(".")[0].lower()
            stage, reply = script.get(key, ("", ""))
            if sink and addr.rsplit("@", 1)[-1].lower() not in sink[1]:
                stage, reply = "rcpt", "451 4.3.0 not a domain of this host"
            if stage == "rcpt":
                say(reply)
            else:
                if stage == "data":
                    pending = reply
                rcpts += 1
                say("250 2.1.5 Ok")
        elif verb == "DATA":
            if not rcpts:
                say("554 5.5.1 Error: no valid recipients")
                continue
            say("354 End data with <CR><LF>.<CR><LF>")
            data = []
            while True:
                line = readline(f)
                if line == ".":
                    break
                data.append(line)
            if sink:
                deliver(sink[0], frm, data)
            say(pending or "250 2.0.0 Ok: queued")
        elif verb == "RSET":
            pending, rcpts = None, 0
            say("250 2.0.0 Ok")
        elif verb == "NOOP":
            say("250 2.0.0 Ok")
        elif verb == "QUIT":
            say("221 2.0.0 Bye")
            return
        else:
            say("502 5.5.2 Error: command not recognized")


def handle(conn, mode, script, name, sink):
    try:
        if mode == "silent":
            conn.settimeout(300)
            while conn.recv(4096):
                pass
        else:
            conn.settimeout(60)
            dialogue(conn, script, name, sink)
    except (OSError, EOFError):
        pass
    finally:
        conn.close()


def main():
    addr, port, pidfile, mode = sys.argv[1:5]
    script = load(sys.argv[5]) if mode == "script" else {}
    sink = None
    if mode == "sink":
        sink = (sys.argv[5], [d.lower() for d in sys.argv[6:]])
    try:
        name = socket.gethostbyaddr(addr)[0]
    except OSError:
        name = addr
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(16)
    with open(pidfile, "w") as f:
        f.write("%d\n" % os.getpid())
    while True:
        conn, _ = s.accept()
        threading.Thread(target=handle, args=(conn, mode, script, name, sink),
                         daemon=True).start()


if __name__ == "__main__":
    main()
