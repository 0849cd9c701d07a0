#!/usr/bin/env python3
"""Helpers of bench/run: data preparation, wrk output parsing, and the daemon start/RSS probe.

    tools.py ndjson-to-csv IN.ndjson OUT.csv
    tools.py ingest-targets VESSELS.csv DATE ZONE AREA OUT.lua|OUT.json   (admitted vessels for the wrk script or soak.py)
    tools.py home-slice VESSELS.csv VOYAGES.ndjson COUNT OUT.ndjson   (prints the bureau)
    tools.py wrk-figures WRK_OUTPUT...                        (prints: rps p50_ms p99_ms non2xx requests clean|errors)
    tools.py daemon-probe SETTLE_SECONDS PORT -- portdailyd ARGS...   (prints: ready_ms rss_mb)
    tools.py storage-floor-sql STORE.sqlite BATCH_SIZE      (prints the SQL that copies the store's rows in batches)
    tools.py reorder IN.ndjson departure|shuffled SEED OUT.ndjson   (the same lines in departure order, or shuffled)
    tools.py correct-tenth IN.ndjson SEED OUT.ndjson        (the same lines, one in ten with its remarks changed)
    tools.py config-limits IN.yaml OUT.yaml TOKEN_RATE TOKEN_BURST ADDRESS_RATE ADDRESS_BURST BAD_TOKENS
                                                          (the config with its rate limits set)
"""
import csv
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

VOYAGE_FIELDS = ["movementId", "operator", "mmsi", "job", "departedAt", "fromArea", "fromBerth", "arrivedAt",
                 "toArea", "toBerth", "servedShipImo", "servedShipName", "personsAboard", "remarks"]


def ndjson_to_csv(source, target):
    with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(VOYAGE_FIELDS)
        for line in lines:
            record = json.loads(line)
            writer.writerow(["" if record.get(f) is None else record[f] for f in VOYAGE_FIELDS])


def admitted(vessels_csv, date):
    with open(vessels_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["admittedFrom"] <= date and (not row["admittedUntil"] or row["admittedUntil"] >= date):
                yield row


def utc_offset(zone, date):
    """The zone's offset at noon of the date, as ISO 8601 text (+08:00)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo
    minutes = int(datetime.fromisoformat(date + "T12:00:00").replace(tzinfo=ZoneInfo(zone)).utcoffset().total_seconds() // 60)
    return "%s%02d:%02d" % ("-" if minutes < 0 else "+", abs(minutes) // 60, abs(minutes) % 60)


def ingest_targets(vessels_csv, date, zone, area, target):
    rows = list(admitted(vessels_csv, date))
    if target.endswith(".json"):  # for bench/soak.py
        with open(target, "w") as out:
            json.dump({"date": date, "offset": utc_offset(zone, date), "area": area,
                       "vessels": [[row["mmsi"], row["operator"]] for row in rows]}, out)
        print(len(rows))
        return
    with open(target, "w") as out:
        out.write("return { date = %s, offset = %s, area = %s, vessels = {\n"
                  % (json.dumps(date), json.dumps(utc_offset(zone, date)), json.dumps(area)))
        for row in rows:
            out.write("  { %s, %s },\n" % (json.dumps(row["mmsi"]), json.dumps(row["operator"])))
        out.write("} }\n")
    print(len(rows))


def home_slice(vessels_csv, voyages, count, target):
    """The voyages of the first COUNT vessels of the bureau that is home to most vessels."""
    rows = list(csv.DictReader(open(vessels_csv, encoding="utf-8")))
    homes = {}
    for row in rows:
        homes.setdefault(row["homeBureau"], []).append(row["mmsi"])
    bureau = max(homes, key=lambda b: len(homes[b]))
    chosen = set(homes[bureau][:count])
    with open(voyages, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
        for line in lines:
            if json.loads(line)["mmsi"] in chosen:
                out.write(line)
    print(bureau)


def milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk_figures(*paths):
    """One run's figures, or those of several rounds of one load: the requests over the time they
    took, the mean of the rounds' medians, and the worst round's p99 (percentiles of separate
    runs do not combine exactly; the worst is the honest side)."""
    rounds = []
    for path in paths:
        text = open(path).read()
        non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
        rounds.append({
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
            "p50": milliseconds(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1)),
            "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)),
            "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "errors": re.search(r"Socket errors:.*", text) is not None,
            "requests": int(re.search(r"(\d+) requests in", text).group(1)),
        })
    requests = sum(r["requests"] for r in rounds)
    seconds = sum(r["requests"] / r["rps"] for r in rounds)
    print(round(requests / seconds, 2), round(sum(r["p50"] for r in rounds) / len(rounds), 2),
          max(r["p99"] for r in rounds), sum(r["non2xx"] for r in rounds), requests,
          "errors" if any(r["errors"] for r in rounds) else "clean")


def daemon_probe(settle, port, command):
    """Starts the daemon with a NOTIFY_SOCKET of our own, times READY=1 from the spawn, lets it
    settle while a few reads run, and reads its resident set size."""
    directory = tempfile.mkdtemp(prefix="portdaily-notify-")
    path = os.path.join(directory, "notify")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(path)
    listener.settimeout(60)
    environment = dict(os.environ, NOTIFY_SOCKET=path)
    start = time.monotonic()
    daemon = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ready = None
        while ready is None:
            message = listener.recv(4096).decode()
            if "READY=1" in message.split("\n"):
                ready = time.monotonic() - start
        deadline = time.monotonic() + settle
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen("http://127.0.0.1:%s/health" % port, timeout=5).read()
            except Exception:
                pass
            time.sleep(0.2)
        status = open("/proc/%d/status" % daemon.pid).read()
        rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024
        print("%.1f %.1f" % (ready * 1000, rss))
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        os.unlink(path)
        os.rmdir(directory)


def storage_floor_sql(store, batch_size):
    """The sqlite3 shell script that writes the rows an import stored (voyages, stale-day marks,
    and any report revisions with their shares) into an empty copy of the schema, as the import
    did: synchronous=FULL, one transaction per BATCH_SIZE voyages, each batch's marks with it (its
    voyages' distinct vessel-days), the revisions spread evenly over the same transactions."""
    source = sqlite3.connect(store)
    low, high = source.execute("SELECT MIN(id), MAX(id) FROM voyage").fetchone()
    revision_low, revision_high = source.execute("SELECT MIN(id), MAX(id) FROM reportRevision").fetchone()
    source.close()
    batches = max(1, -(-(high - low + 1) // batch_size))
    per_batch = -(-(revision_high - revision_low + 1) // batches) if revision_low is not None else 0
    print("PRAGMA synchronous = FULL;")
    print("ATTACH '%s' AS source;" % store.replace("'", "''"))
    for batch in range(batches):
        first, last = low + batch * batch_size, low + (batch + 1) * batch_size - 1
        print("BEGIN;")
        print("INSERT INTO voyage SELECT * FROM source.voyage WHERE id BETWEEN %d AND %d;" % (first, last))
        # Every day of the batch is marked: the bench's store is never sealed (the count is checked).
        print("INSERT OR IGNORE INTO staleDay SELECT DISTINCT reportDate, mmsi FROM source.voyage WHERE id BETWEEN %d AND %d;"
              % (first, last))
        if per_batch:
            revisions_first = revision_low + batch * per_batch
            revisions_last = revisions_first + per_batch - 1
            print("INSERT INTO reportRevision SELECT * FROM source.reportRevision WHERE id BETWEEN %d AND %d;"
                  % (revisions_first, revisions_last))
            print("INSERT INTO reportShare SELECT * FROM source.reportShare WHERE revisionId BETWEEN %d AND %d;"
                  % (revisions_first, revisions_last))
        print("COMMIT;")


def reorder(source, order, seed, target):
    """The feed's lines in another order: by departure time, all vessels interleaved (as a dispatch
    system exports a day or a month; ties by vessel), or shuffled with a seeded generator."""
    with open(source, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if order == "departure":
        # The time stamps are all UTC ("...Z"), so their text sorts as the instants do.
        def key(line):
            record = json.loads(line)
            return record["departedAt"], record["mmsi"]
        lines.sort(key=key)
    elif order == "shuffled":
        import random
        random.Random(seed).shuffle(lines)
    else:
        sys.exit("reorder: the order is departure or shuffled")
    with open(target, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def correct_tenth(source, seed, target):
    """A resend of the feed in which one line in ten, chosen by a seeded generator, has new
    remarks: a correction each, the rest duplicates."""
    import random
    chooser = random.Random(seed)
    with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
        for line in lines:
            if chooser.random() < 0.1:
                record = json.loads(line)
                record["remarks"] = "corrected in the resend"
                line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
            out.write(line)


def config_limits(source, target, token_rate, token_burst, address_rate, address_burst, bad_tokens):
    """SOURCE's configuration with http.rateLimits set: the buckets per token and per address,
    and the bad tokens allowed per address."""
    text = open(source).read()
    for key, old, value in [("perToken", r"\{[^}]*\}", "{perSecond: %s, burst: %s}" % (token_rate, token_burst)),
                            ("perAddress", r"\{[^}]*\}", "{perSecond: %s, burst: %s}" % (address_rate, address_burst)),
                            ("badTokensPerAddress", r"\d+", bad_tokens)]:
        # Four spaces in: http.rateLimits' keys, not console.signInLimit's perAddress.
        text, n = re.subn(r"(\n    %s: )%s" % (key, old), lambda m: m.group(1) + value, text)
        assert n == 1, "the configuration's rateLimits.%s changed" % key
    open(target, "w").write(text)


def config_ais(source, target, udp):
    """SOURCE's configuration with the daemon listening for AIS over UDP at UDP (HOST:PORT)."""
    text = open(source).read()
    text, n = re.subn(r"\n  # udp: [^\n]*", "\n  udp: %s" % udp, text)
    assert n == 1, "the configuration's ais.udp line changed"
    open(target, "w").write(text)


def udp_send(path, port, rate):
    """Sends each line of PATH as one datagram to 127.0.0.1:PORT at RATE a second (paced every
    millisecond); prints how many were sent and the seconds it took."""
    lines = open(path, "rb").read().split(b"\n")
    lines = [line for line in lines if line]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    target = ("127.0.0.1", int(port))
    rate = int(rate)
    start = time.monotonic()
    sent = 0
    for index, line in enumerate(lines):
        if index % 50 == 0:
            due = start + index / rate
            while time.monotonic() < due:
                pass
        sock.sendto(line + b"\r\n", target)
        sent += 1
    print(sent, "%.3f" % (time.monotonic() - start))


def metric(port, name):
    """The value of a counter (summed over its labels) on the daemon's /metrics, 0 when absent."""
    import urllib.request
    text = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % port, timeout=10).read().decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    print(int(total))


def udp_drops():
    """Datagrams the kernel dropped on every UDP socket (/proc/net/udp's last column), summed."""
    total = 0
    for path in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            for line in open(path).read().splitlines()[1:]:
                total += int(line.split()[-1])
        except FileNotFoundError:
            pass
    print(total)


def main(argv):
    command = argv[1]
    if command == "ndjson-to-csv":
        ndjson_to_csv(argv[2], argv[3])
    elif command == "ingest-targets":
        ingest_targets(argv[2], argv[3], argv[4], argv[5], argv[6])
    elif command == "home-slice":
        home_slice(argv[2], argv[3], int(argv[4]), argv[5])
    elif command == "wrk-figures":
        wrk_figures(*argv[2:])
    elif command == "daemon-probe":
        daemon_probe(float(argv[2]), argv[3], argv[argv.index("--") + 1:])
    elif command == "storage-floor-sql":
        storage_floor_sql(argv[2], int(argv[3]))
    elif command == "reorder":
        reorder(argv[2], argv[3], int(argv[4]), argv[5])
    elif command == "correct-tenth":
        correct_tenth(argv[2], int(argv[3]), argv[4])
    elif command == "config-limits":
        config_limits(*argv[2:9])
    elif command == "config-ais":
        config_ais(argv[2], argv[3], argv[4])
    elif command == "udp-send":
        udp_send(argv[2], argv[3], argv[4])
    elif command == "metric":
        metric(argv[2], argv[3])
    elif command == "udp-drops":
        udp_drops()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
