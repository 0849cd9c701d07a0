#!/usr/bin/env python3
"""The long fault runs of bench/faults (the test suite's KillNineTests and DiskFullTests, longer
and wider).

    soak.py --fault kill-9|disk-full --targets TARGETS.json --token TOKEN --database DB --port PORT
            --rounds N --writers W [--log FILE] [--mount-size SIZE --seed-database SEED.sqlite]
            -- portdailyd ARGS...

Writers post one voyage per request (a new movementId each, spread over the admitted vessels of
TARGETS) and record which were acknowledged (200) and which were not (an error, a 503, a refused
or cut connection, a timeout). Meanwhile, ROUNDS times at random moments:

- kill-9: the daemon is killed with SIGKILL and started again;
- disk-full: the file system of the database fills up (a file written until ENOSPC), stays full
  for two seconds, and is freed. With --mount-size, a tmpfs of that size is mounted on the
  database's folder first and SEED copied into it: run this in a mount namespace of its own
  (`unshare --mount --propagation private`, as bench/faults does; root only).

Then every unacknowledged voyage is sent again until it is answered, the reports are read once
(which folds the open day's reports), the daemon is stopped cleanly, and the database is checked:

- every acknowledged voyage is stored, exactly once;
- every voyage sent again is stored, exactly once, and nothing is stored that was never sent;
- each vessel-day's daily report (its latest revision) counts exactly the voyages stored that day,
  and no day is left stale;
- disk-full: SQLite's integrity check passes, some submissions were refused with 503 (the fault
  bit), and the daemon logged the outage at most once per time the disk filled (--log).

Prints one line: FAULT-<fault> ok|FAILED rounds=... and the counts; exits 1 on a failure.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time


def post(port, token, body, timeout=5):
    """The HTTP status of one submission, or None when the daemon did not answer."""
    return request(port, token, "POST", "/v1/voyages", body, timeout)


def read(port, token, path, timeout=60):
    """The HTTP status of one GET, or None when the daemon did not answer."""
    return request(port, token, "GET", path, None, timeout)


def request(port, token, method, path, body, timeout):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request(method, path, body=body,
                           headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status
    except (OSError, http.client.HTTPException):
        return None


def wait_for_port(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the daemon did not listen on port %d within %d s" % (port, seconds))


class Soak:
    def __init__(self, targets, token, port):
        self.targets, self.token, self.port = targets, token, port
        self.lock = threading.Lock()
        self.bodies = {}
        self.acknowledged, self.unacknowledged = set(), set()
        self.refused = 0  # answers 503: the store could not write
        self.running = True

    def body(self, movement_id, index):
        vessel = self.targets["vessels"][index * 7919 % len(self.targets["vessels"])]
        second = index % 85000

        def clock(s):
            return "%sT%02d:%02d:%02d%s" % (self.targets["date"], s // 3600, s // 60 % 60, s % 60, self.targets["offset"])
        return json.dumps({"movementId": movement_id, "operator": vessel[1], "mmsi": vessel[0], "job": "berthing-assist",
                           "departedAt": clock(second), "fromArea": self.targets["area"],
                           "arrivedAt": clock(second + 600), "toArea": self.targets["area"]})

    def writer(self, number):
        index = 0
        while self.running:
            index += 1
            movement_id = "soak-%d-%d" % (number, index)
            body = self.body(movement_id, number * 1_000_003 + index)
            with self.lock:
                self.bodies[movement_id] = body
            status = post(self.port, self.token, body)
            acknowledged = status == 200
            with self.lock:
                (self.acknowledged if acknowledged else self.unacknowledged).add(movement_id)
                self.refused += status == 503
            if not acknowledged:
                time.sleep(0.02)


def check(database, acknowledged, sent):
    """The failures found in the stored data (an empty list when all is well)."""
    db = sqlite3.connect(database)
    rows = db.execute("SELECT movementId FROM voyage WHERE movementId LIKE 'soak-%'").fetchall()
    stored = [row[0] for row in rows]
    failures = []
    if len(stored) != len(set(stored)):
        failures.append("%d voyages stored more than once" % (len(stored) - len(set(stored))))
    lost = acknowledged - set(stored)
    if lost:
        failures.append("%d acknowledged voyages lost, e.g. %s" % (len(lost), sorted(lost)[:3]))
    missing = sent - set(stored)
    if missing:
        failures.append("%d voyages sent again but not stored, e.g. %s" % (len(missing), sorted(missing)[:3]))
    unexpected = set(stored) - sent
    if unexpected:
        failures.append("%d voyages stored that were never sent" % len(unexpected))
    mismatched = db.execute("""
        SELECT v.mmsi, v.reportDate, COUNT(*),
               (SELECT r.voyageCount FROM reportRevision r
                WHERE r.reportId = 'D-' || v.mmsi || '-' || strftime('%Y-%m-%d', v.reportDate * 86400, 'unixepoch')
                ORDER BY r.revision DESC LIMIT 1)
        FROM voyage v WHERE v.cancelled = 0 GROUP BY v.mmsi, v.reportDate""").fetchall()
    wrong = [row for row in mismatched if row[2] != row[3]]
    if wrong:
        failures.append("%d vessel-days whose report does not count their voyages, e.g. %s" % (len(wrong), wrong[:3]))
    stale = db.execute("SELECT COUNT(*) FROM staleDay").fetchone()[0]
    if stale:
        failures.append("%d vessel-days left stale after a read of every report" % stale)
    days = len(mismatched)
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        failures.append("integrity check: %s" % integrity)
    db.close()
    return failures, len(stored), days


def fill(folder):
    """Writes a file in `folder` until the file system is full; returns its path."""
    path = os.path.join(folder, "filler")
    with open(path, "wb", buffering=0) as out:
        for size in (1 << 20, 4096, 512):
            try:
                while True:
                    out.write(bytes(size))
            except OSError:
                pass
    return path


def main():
    separator = sys.argv.index("--")
    parser = argparse.ArgumentParser()
    parser.add_argument("--fault", choices=("kill-9", "disk-full"), required=True)
    for name in ("--targets", "--token", "--database"):
        parser.add_argument(name, required=True)
    for name in ("--port", "--rounds", "--writers"):
        parser.add_argument(name, type=int, required=True)
    parser.add_argument("--log", default=os.devnull)
    parser.add_argument("--mount-size")
    parser.add_argument("--seed-database")
    args = parser.parse_args(sys.argv[1:separator])
    command = sys.argv[separator + 1:]
    targets = json.load(open(args.targets))
    folder = os.path.dirname(os.path.abspath(args.database))
    if args.mount_size:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + args.mount_size, "tmpfs", folder], check=True)
        shutil.copy(args.seed_database, args.database)
    log = open(args.log, "ab")

    def start():
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)

    current = [start()]  # the daemon now running; killed on any way out
    try:
        wait_for_port(args.port)
        soak = Soak(targets, args.token, args.port)
        writers = [threading.Thread(target=soak.writer, args=(n,), daemon=True) for n in range(args.writers)]
        for thread in writers:
            thread.start()
        start_time = time.monotonic()
        for _ in range(args.rounds):
            time.sleep(random.uniform(0.2, 1.2))
            if args.fault == "kill-9":
                current[0].send_signal(signal.SIGKILL)
                current[0].wait()
                current[0] = start()
                wait_for_port(args.port)
            else:
                filler = fill(folder)
                time.sleep(2)
                os.remove(filler)
        time.sleep(0.5)
        soak.running = False
        for thread in writers:
            thread.join()
        seconds = time.monotonic() - start_time

        # Every unanswered submission again, until it is answered: accepted now, or a duplicate of
        # what was stored before the fault.
        retried = sorted(soak.unacknowledged)
        for movement_id in retried:
            for _ in range(100):
                status = post(args.port, args.token, soak.bodies[movement_id])
                if status == 200:
                    break
                time.sleep(0.1)
            else:
                raise SystemExit("the retry of %s was never accepted (last answer: %s)" % (movement_id, status))
        # A read folds the reports of the days the submissions left stale (an open day's are
        # folded when read); the check below then finds every report up to date.
        if read(args.port, args.token, "/v1/daily-reports/changes?since=0&limit=1") != 200:
            raise SystemExit("the changes feed could not be read")
        current[0].send_signal(signal.SIGTERM)
        current[0].wait(timeout=60)
        log.close()
    finally:
        if current[0].poll() is None:
            current[0].kill()

    failures, stored, days = check(args.database, soak.acknowledged, soak.acknowledged | set(retried))
    extra = ""
    if args.fault == "disk-full":
        outages = open(args.log, errors="replace").read().count("the store cannot write; submissions get 503")
        if soak.refused == 0:
            failures.append("no submission was refused: the disk never filled the store")
        if outages > args.rounds:
            failures.append("the outage was logged %d times in %d rounds" % (outages, args.rounds))
        extra = " refused-503=%d outages-logged=%d" % (soak.refused, outages)
    print("FAULT-%s %s rounds=%d writers=%d seconds=%.0f acknowledged=%d unacknowledged-then-sent-again=%d "
          "stored=%d vessel-days=%d%s%s" % (args.fault, "FAILED" if failures else "ok", args.rounds, args.writers,
                                             seconds, len(soak.acknowledged), len(retried), stored, days, extra,
                                             "".join("\n  " + failure for failure in failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
