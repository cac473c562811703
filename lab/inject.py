#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""inject.py - hand one test message to the sending MTA.

usage: inject.py HOST PORT SCENARIO SERVER FROM RCPT NOTIFY SIZE
       inject.py --sendmail PROGRAM SCENARIO SERVER FROM RCPT NOTIFY SIZE

NOTIFY is the DSN NOTIFY list ("-" for none: the MTA's default); SIZE the
body size in bytes (a size-limit scenario sends a big one).  With
--sendmail the message is piped to PROGRAM -f FROM RCPT instead (for MTAs
that do not listen, such as dma and nullmailer).
"""
import email.utils
import shlex
import smtplib
import subprocess
import sys
import time


def message(scenario, server, frm, rcpt, size):
    line = "The bounce lab's test message for the scenario %s.\r\n" % scenario
    body = line
    while len(body) < size:
        body += "%06d %s" % (len(body), line)
    hdr = ("From: Lab Sender <%s>\r\n"
           "To: <%s>\r\n"
           "Subject: bounce lab: %s\r\n"
           "Date: %s\r\n"
           "Message-ID: <%s.%s.%d@example.com>\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=us-ascii\r\n"
           "\r\n") % (frm, rcpt, scenario,
                      email.utils.formatdate(localtime=False),
                      scenario, server, int(time.time()))
    return hdr + body


def main():
    args = sys.argv[1:]
    if args[0] == "--sendmail":
        prog, scenario, server, frm, rcpt, notify, size = args[1:8]
        msg = message(scenario, server, frm, rcpt, int(size))
        cmd = shlex.split(prog) + ["-f", frm]
        if notify != "-":
            cmd += ["-N", notify.lower()]
        subprocess.run(cmd + [rcpt], input=msg.replace("\r\n", "\n")
                       .encode(), check=True)
        return
    host, port, scenario, server, frm, rcpt, notify, size = args[:8]
    msg = message(scenario, server, frm, rcpt, int(size))
    with smtplib.SMTP(host, int(port), local_hostname="client.example.com",
                      timeout=30) as s:
        s.ehlo()
        ropts = []
        if notify != "-" and s.has_extn("dsn"):
            ropts = ["NOTIFY=" + notify]
        s.sendmail(frm, [rcpt], msg.encode(), [], ropts)


if __name__ == "__main__":
    main()
