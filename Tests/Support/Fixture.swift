import Foundation
public import PortDailyCore

/// A small hand-built port: an MSA and two sub-bureaus. North has areas n1 and n2, south has s1,
/// so n1↔n2 stays in one jurisdiction and n1↔s1 crosses.
public enum Fixture {
    public static let setup = PortSetup(
        bureaus: [Bureau(id: "msa", name: "天津海事局"), Bureau(id: "north", name: "北疆海事局"),
                  Bureau(id: "south", name: "南疆海事局")],
        portAreas: [PortArea(id: "n1", name: "北一", bureau: "north"), PortArea(id: "n2", name: "北二", bureau: "north"),
                    PortArea(id: "s1", name: "南一", bureau: "south")],
        vesselTypes: PortSetup.defaultVesselTypes)

    public static let calendar = ReportCalendar(timeZone: TimeZone(identifier: "Asia/Shanghai")!,
                                                sealGraceMilliseconds: 2 * Instant.millisecondsPerHour)

    public static func date(_ text: String) -> LocalDate { LocalDate(text)! }
    public static func instant(_ text: String) -> Instant { ISO8601.parse(text)! }

    /// A tug of operator `op1`, filed with the MSA, admitted from 2026-01-01.
    public static let tug = Vessel(mmsi: MMSI("412000001")!, imo: IMONumber("9074729"), name: "津港拖1号",
                                   callSign: "BVAA", type: "tug", operator: "op1", homeBureau: "msa",
                                   admittedFrom: date("2026-01-01"))
    /// A bunkering vessel of operator `op2`, filed with north.
    public static let bunker = Vessel(mmsi: MMSI("412000002")!, name: "渤海油2", type: "bunkering", operator: "op2",
                                      homeBureau: "north", admittedFrom: date("2026-01-01"))
    /// A tug of `op1` whose admission ended before March 2026.
    public static let lapsed = Vessel(mmsi: MMSI("412000003")!, name: "津港拖3号", type: "tug", operator: "op1",
                                      homeBureau: "msa", admittedFrom: date("2025-01-01"), admittedUntil: date("2026-02-28"))

    public static let register: [MMSI: Vessel] = [tug.mmsi: tug, bunker.mmsi: bunker, lapsed.mmsi: lapsed]

    /// Wire fields of a valid voyage of the tug on 2026-03-02 (local), n1 → n2, 08:00–09:00 +08:00.
    public static func fields(_ overrides: [String: String?] = [:]) -> RecordFields {
        var fields = [
            "movementId": "M1", "operator": "op1", "mmsi": "412000001", "job": "berthing-assist",
            "departedAt": "2026-03-02T08:00:00+08:00", "fromArea": "n1", "arrivedAt": "2026-03-02T09:00:00+08:00",
            "toArea": "n2",
        ]
        for (key, value) in overrides { fields[key] = value }
        return RecordFields(fields)
    }

    public static func voyage(_ id: String, vessel: Vessel = tug, departed: String, minutes: Int64 = 60,
                              from: String = "n1", to: String = "n2", job: Job = .berthingAssist,
                              persons: Int? = nil) -> Voyage {
        let start = instant(departed)
        return Voyage(movementId: id, operator: vessel.operator, mmsi: vessel.mmsi, job: job, departedAt: start,
                      fromArea: from, arrivedAt: start.adding(milliseconds: minutes * 60_000), toArea: to,
                      personsAboard: persons)
    }

    /// A validator for the fixture port, at a fixed receipt time.
    public static func validator(now: String = "2026-03-03T00:00:00Z", submitter: String? = nil) -> VoyageValidator {
        VoyageValidator(setup: setup, register: register, now: instant(now), submitter: submitter)
    }
}
