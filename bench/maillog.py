#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""maillog.py N [FAILED_SHARE] - a synthetic Postfix syslog of N lines for
bench/maillog.sh: per message a qmgr from= line, one delivery line (sent,
or deferred / bounced in FAILED_SHARE of them, default 0.25: 10% deferred,
15% bounced), an smtpd connect line and a qmgr removed line."""
import sys, random
n = int(sys.argv[1]); out = sys.stdout
share = float(sys.argv[2]) if len(sys.argv) > 2 else 0.25
random.seed(7)
doms = ["example.org", "example.net", "example.com", "example.jp", "example.co.jp"]
i = 0; q = 0
w = out.write
while i < n:
    q += 1
    qid = "%010X" % (0x1000000000 + q)
    t = "Dec  5 %02d:%02d:%02d" % ((q // 3600) % 24, (q // 60) % 60, q % 60)
    w("%s mail postfix/qmgr[2050]: %s: from=<news@sender.example>, size=2145, nrcpt=1 (queue active)\n" % (t, qid)); i += 1
    rcpt = "user%d@%s" % (q, doms[q % 5])
    r = random.random()
    if r >= share:
        w("%s mail postfix/smtp[2103]: %s: to=<%s>, relay=mx.%s[192.0.2.20]:25, delay=1.2, delays=0.1/0.01/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9F8E7D6C5B)\n" % (t, qid, rcpt, doms[q % 5]))
    elif r < share * 0.4:
        w("%s mail postfix/smtp[2103]: %s: to=<%s>, relay=mx.%s[192.0.2.20]:25, delay=2, delays=0.1/0/1/0.9, dsn=4.2.2, status=deferred (host mx.%s[192.0.2.20] said: 452 4.2.2 <%s>: Mailbox full (in reply to RCPT TO command))\n" % (t, qid, rcpt, doms[q % 5], doms[q % 5], rcpt))
    else:
        w("%s mail postfix/smtp[2103]: %s: to=<%s>, relay=mx.%s[192.0.2.20]:25, delay=1.2, delays=0.1/0.01/0.5/0.6, dsn=5.1.1, status=bounced (host mx.%s[192.0.2.20] said: 550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))\n" % (t, qid, rcpt, doms[q % 5], doms[q % 5], rcpt))
    i += 1
    w("%s mail postfix/smtpd[2101]: connect from client.example.com[192.0.2.10]\n" % t); i += 1
    w("%s mail postfix/qmgr[2050]: %s: removed\n" % (t, qid)); i += 1
