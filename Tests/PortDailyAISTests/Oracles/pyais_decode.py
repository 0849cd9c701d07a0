"""The test oracle: decodes an NMEA recording with pyais (an independent decoder) and prints one
JSON object per message of the types PortDaily reads, in PortDaily's field names, with the
spec's "not available" values left out. Duplicates are kept; sentences whose checksum fails are
dropped. `bits` is the message's length, so the test can tell a message too short to decode."""
import json
import re
import sys
from datetime import datetime, timezone

from pyais.stream import IterMessages

TYPES = {1, 2, 3, 4, 5, 18, 19, 24}


def value(x):
    return int(x) if x is not None else None


def text(x):
    """Six-bit text up to its first "@" (the padding of unused characters), spaces trimmed: as
    gpsd and PortDaily read it. (pyais keeps what follows padding, e.g. "YONGDUCK@@@@@@@@@@@Q".)"""
    return (x or "").split("@")[0].strip()


def raw_bits(message, start, length):
    """Bits of the message's payload, read here from the armoured characters: pyais maps ship
    types it does not know (reserved ones, 144) to 0, where the raw value is wanted."""
    value = 0
    for character in message.payload.decode() if isinstance(message.payload, bytes) else message.payload:
        code = ord(character) - 48
        if code > 40:
            code -= 8
        value = (value << 6) | code
    total = len(message.payload) * 6
    return (value >> (total - start - length)) & ((1 << length) - 1)


def trailing_time(line):
    """A line that ends `*hh,<Unix seconds>` (some recorders' format, which pyais refuses) as
    the sentence with that time in a tag block, which pyais reads."""
    match = re.match(rb"^(!.*\*[0-9A-Fa-f]{2}),(\d{10})$", line)
    if not match:
        return line
    tag = b"c:" + match.group(2)
    checksum = 0
    for byte in tag:
        checksum ^= byte
    return b"\\" + tag + b"*%02X\\" % checksum + match.group(1)


def main(path):
    lines = [trailing_time(line.rstrip(b"\r\n")) for line in open(path, "rb")]
    for message in IterMessages(lines):
        if not message.is_valid:
            continue
        try:
            d = message.decode()
        except Exception:
            continue
        t = d.msg_type
        if t not in TYPES:
            continue
        o = {"type": t, "mmsi": int(d.mmsi), "bits": len(message.payload) * 6 - int(message.fill_bits or 0)}
        if t in (1, 2, 3, 4, 18, 19):
            if d.lat is not None and d.lon is not None and abs(d.lat) <= 90 and abs(d.lon) <= 180:
                o["lat"] = d.lat
                o["lon"] = d.lon
        if t in (1, 2, 3, 18, 19):
            if d.speed is not None and round(d.speed * 10) != 1023:
                o["sog"] = d.speed
            if d.course is not None and round(d.course * 10) < 3600:
                o["cog"] = d.course
            if d.heading is not None and d.heading < 360:
                o["heading"] = int(d.heading)
        if t in (1, 2, 3):
            o["navStatus"] = value(d.status)
        if t == 4:
            try:
                o["stationTime"] = datetime(d.year, d.month, d.day, d.hour, d.minute, d.second,
                                            tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            except (ValueError, TypeError):
                pass
        if t in (5, 19) or (t == 24 and d.partno == 1):
            o["shipType"] = raw_bits(message, {5: 232, 19: 263, 24: 40}[t], 8)
        if t in (5, 19) or (t == 24 and d.partno == 0):
            if text(d.shipname):
                o["name"] = text(d.shipname)
        if t == 5 or (t == 24 and d.partno == 1):
            if text(d.callsign):
                o["callSign"] = text(d.callsign)
        if t == 5:
            if d.imo:
                o["imo"] = int(d.imo)
            if text(d.destination):
                o["destination"] = text(d.destination)
        if t in (5, 19) or (t == 24 and d.partno == 1):
            if t == 24 and getattr(d, "mothership_mmsi", None) is not None and int(d.mmsi) // 10_000_000 == 98:
                o["mothershipMmsi"] = int(d.mothership_mmsi)
            else:
                dims = (d.to_bow, d.to_stern, d.to_port, d.to_starboard)
                if any(dims):
                    o["dimensions"] = {"bow": dims[0], "stern": dims[1], "port": dims[2], "starboard": dims[3]}
        if t == 24:
            o["partNumber"] = int(d.partno)
        if message.tag_block is not None:
            message.tag_block.init()
            stamp = message.tag_block.receiver_timestamp
            if stamp:
                seconds = int(stamp)
                if seconds >= 10**11:
                    seconds //= 1000
                o["receivedAt"] = datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            if message.tag_block.source_station:
                o["source"] = message.tag_block.source_station
        print(json.dumps(o, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
