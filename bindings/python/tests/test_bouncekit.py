# SPDX-License-Identifier: BSD-2-Clause
"""Tests of the Python binding against the tree's fixtures.

Run from the top of the tree (tests/python.sh does this):
    BOUNCEKIT_LIBRARY=build/libbouncekit.so.1 python3 -m pytest bindings/python/tests
BOUNCEKIT_CLI names the command to compare with (default build/bouncekit).
"""

import glob
import json
import os
import subprocess
import threading

import pytest

import bouncekit

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SAMPLE = os.path.join(TOP, "tests", "fixtures", "sample.mbox")
GOLDEN = os.path.join(TOP, "tests", "golden")
CLI = os.environ.get("BOUNCEKIT_CLI", os.path.join(TOP, "build", "bouncekit"))


def cli_json(*args):
    out = subprocess.run([CLI, "parse", "-q", "--format", "json", *args],
                         check=True, capture_output=True).stdout
    return json.loads(out)


def golden_cases():
    return sorted(glob.glob(os.path.join(GOLDEN, "*.eml")))


def test_parse_sample_is_the_commands_json():
    records = bouncekit.parse(SAMPLE)
    assert records, "the sample mbox gives records"
    assert records == cli_json(SAMPLE)
    for r in records:
        assert r["reason"] and r["recipient"] and len(r["token"]) == 40


def test_parse_accepts_pathlike_and_flags():
    import pathlib
    assert bouncekit.parse(pathlib.Path(SAMPLE), delivered=True, vacation=True) \
        == cli_json("--delivered", "--vacation", SAMPLE)


@pytest.mark.parametrize("path", golden_cases(), ids=os.path.basename)
def test_decode_golden(path):
    want = []
    with open(path[:-4] + ".ndjson", encoding="utf-8") as f:
        want = [json.loads(line) for line in f if line.strip()]
    with open(path, "rb") as f:
        data = f.read()
    got = bouncekit.decode(data, delivered=True, vacation=True)
    # the golden records name the file as origin; decode() names memory
    for r in got:
        assert r.pop("origin") == "<memory>"
    for r in want:
        r.pop("origin")
    assert got == want


def test_decode_options_matter():
    # a case whose records include a delivery or an auto-reply
    for path in golden_cases():
        with open(path[:-4] + ".ndjson", encoding="utf-8") as f:
            reasons = [json.loads(line)["reason"] for line in f if line.strip()]
        if "vacation" in reasons or "delivered" in reasons:
            data = open(path, "rb").read()
            plain = bouncekit.decode(data)
            full = bouncekit.decode(data, delivered=True, vacation=True)
            assert len(full) > len(plain)
            assert all(r["reason"] not in ("vacation", "delivered") for r in plain)
            return
    pytest.skip("no golden case with a delivered or vacation record")


def test_decode_not_a_bounce():
    msg = (b"From: someone@example.com\nTo: you@example.org\n"
           b"Subject: lunch\n\nSee you at noon.\n")
    assert bouncekit.decode(msg) == []
    assert bouncekit.decode(b"") == []
    assert bouncekit.decode(b"\x00\xff garbage \r\r\n") == []


def test_decode_wants_bytes():
    with pytest.raises(TypeError):
        bouncekit.decode("From: a@example.com\n\nhello\n")
    assert bouncekit.decode(bytearray(b"Subject: x\n\ny\n")) == []


def test_parse_missing_path_raises():
    with pytest.raises(FileNotFoundError):
        bouncekit.parse(os.path.join(TOP, "no", "such", "file"))


def test_parse_directory_goes_on_after_a_bad_item(tmp_path):
    d = tmp_path / "box"
    d.mkdir()
    (d / "1.eml").write_bytes(open(SAMPLE, "rb").read())
    os.symlink(str(tmp_path / "nowhere"), str(d / "2.eml"))
    with pytest.warns(bouncekit.BouncekitWarning):
        records = bouncekit.parse(str(d))
    assert len(records) == len(cli_json(SAMPLE))


def test_classify():
    v = bouncekit.classify("550 5.1.1 <nekochan@example.org>: User unknown")
    assert v == {"reason": "userunknown", "status": "5.1.1",
                 "replycode": "550", "command": "", "hardbounce": True}
    v = bouncekit.classify(b"452 4.2.2 Mailbox full")
    assert v["reason"] == "mailboxfull" and v["hardbounce"] is False
    assert set(bouncekit.classify("")) == {"reason", "status", "replycode",
                                          "command", "hardbounce"}


def test_classify_is_the_commands():
    text = "554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org"
    out = subprocess.run([CLI, "classify", text], check=True,
                         capture_output=True, text=True).stdout
    fields = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    v = bouncekit.classify(text)
    assert v["reason"] == fields["reason"]
    assert v["status"] == fields["status"]


def test_parser_object_and_threads():
    data = open(SAMPLE, "rb").read()
    with bouncekit.Parser() as p:
        first = p.decode(data, origin="sample")
    assert first and all(r["origin"] == "sample" for r in first)
    with pytest.raises(ValueError):
        p.decode(data)
    results, errors = [], []

    def work():
        try:
            for _ in range(20):
                results.append(bouncekit.decode(data))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 80
    assert all(r == results[0] for r in results)


def test_explain():
    records = bouncekit.parse(SAMPLE, explain=True)
    assert records == cli_json("--explain", SAMPLE)
    assert all(isinstance(r["explain"], dict) and r["explain"]["decided"]
               for r in records)
    assert all("explain" not in r for r in bouncekit.parse(SAMPLE))
    data = open(SAMPLE, "rb").read()
    one = bouncekit.decode(data, explain=True)
    assert one and all(r["explain"]["decided"]["reason"] == r["reason"] for r in one)
    v = bouncekit.classify("550 5.1.1 User unknown", explain=True)
    assert v["reason"] == "userunknown" and isinstance(v["explain"], dict)
    out = subprocess.run([CLI, "classify", "--format", "ndjson", "--explain",
                          "550 5.1.1 User unknown"], check=True,
                         capture_output=True, text=True).stdout
    assert json.loads(out)["explain"] == v["explain"]
