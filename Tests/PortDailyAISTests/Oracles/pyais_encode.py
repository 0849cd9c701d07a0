"""Encodes seeded random messages of the types PortDaily reads with pyais's encoder (independent
of PortDaily's) and prints, per message, one JSON line: the sentences and the fields pyais was
given, in PortDaily's names, for the test to decode and compare."""
import json
import random
import string
import sys

from pyais.encode import encode_dict

LETTERS = string.ascii_uppercase + string.digits + " -./"
# Ship types pyais's encoder keeps as given (it writes a reserved value as its group's first).
SHIP_TYPES = [0, 20, 30, 31, 32, 33, 34, 35, 36, 37, 40, 50, 51, 52, 53, 54, 55, 58, 59, 60, 70, 80, 90]


def text(rng, most):
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(1, most))).strip() or "X"


def main(seed, count):
    rng = random.Random(seed)
    for _ in range(count):
        t = rng.choice([1, 2, 3, 4, 5, 18, 19, 24])
        mmsi = rng.randint(200_000_000, 775_999_999)
        lat = round(rng.randint(-54_000_000, 54_000_000) / 600_000, 6)
        lon = round(rng.randint(-108_000_000, 108_000_000) / 600_000, 6)
        fields = {"msg_type": t, "mmsi": mmsi}
        expected = {"type": t, "mmsi": mmsi}
        if t in (1, 2, 3, 18, 19):
            sog = rng.randint(0, 1022) / 10
            cog = rng.randint(0, 3599) / 10
            heading = rng.randint(0, 359)
            fields.update(lat=lat, lon=lon, speed=sog, course=cog, heading=heading)
            expected.update(lat=lat, lon=lon, sog=sog, cog=cog, heading=heading)
            if t <= 3:
                status = rng.randint(0, 15)
                fields["status"] = status
                expected["navStatus"] = status
        if t == 4:
            fields.update(lat=lat, lon=lon, year=rng.randint(2000, 2030), month=rng.randint(1, 12),
                          day=rng.randint(1, 28), hour=rng.randint(0, 23), minute=rng.randint(0, 59),
                          second=rng.randint(0, 59))
            expected.update(lat=lat, lon=lon, stationTime="%04d-%02d-%02dT%02d:%02d:%02dZ" % (
                fields["year"], fields["month"], fields["day"], fields["hour"], fields["minute"], fields["second"]))
        dims = {"bow": rng.randint(1, 511), "stern": rng.randint(1, 511), "port": rng.randint(1, 63),
                "starboard": rng.randint(1, 63)}
        if t in (5, 19):
            name = text(rng, 20)
            ship_type = rng.choice(SHIP_TYPES)
            fields.update(shipname=name, ship_type=ship_type, to_bow=dims["bow"], to_stern=dims["stern"],
                          to_port=dims["port"], to_starboard=dims["starboard"])
            expected.update(name=name, shipType=ship_type, dimensions=dims)
        if t == 5:
            call_sign = text(rng, 7)
            destination = text(rng, 20)
            imo = rng.randint(1_000_000, 9_999_999)
            fields.update(callsign=call_sign, destination=destination, imo=imo)
            expected.update(callSign=call_sign, destination=destination, imo=imo)
        if t == 24:
            part = rng.randint(0, 1)
            fields["partno"] = part
            expected["partNumber"] = part
            if part == 0:
                name = text(rng, 20)
                fields["shipname"] = name
                expected["name"] = name
            else:
                call_sign = text(rng, 7)
                ship_type = rng.choice(SHIP_TYPES)
                fields.update(callsign=call_sign, ship_type=ship_type, to_bow=dims["bow"], to_stern=dims["stern"],
                              to_port=dims["port"], to_starboard=dims["starboard"])
                expected.update(callSign=call_sign, shipType=ship_type, dimensions=dims)
        sentences = encode_dict(fields, radio_channel="B", talker_id=rng.choice(["AI", "AB", "BS"]), seq_id=rng.randint(0, 9),
                                sentence_type=rng.choice(["VDM", "VDO"]))
        print(json.dumps({"sentences": sentences, "expected": expected}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
