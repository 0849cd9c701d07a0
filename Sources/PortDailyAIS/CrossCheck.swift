public import PortDailyCore

/// A difference between what was reported and what AIS saw: advice for the bureau, never a
/// change to a report.
public struct Discrepancy: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// AIS shows the vessel moving; no reported voyage covers that time.
        case unreportedMovement = "unreported-movement"
        /// A reported voyage's time had AIS coverage, and the vessel did not move.
        case unconfirmedVoyage = "unconfirmed-voyage"
        /// The vessel moved when reported, but between other waters than reported.
        case areaMismatch = "area-mismatch"
    }

    public var date: LocalDate
    public var mmsi: MMSI
    public var kind: Kind
    public var span: TimeSpan
    /// What AIS saw (for an unconfirmed voyage: what was reported). nil: at sea.
    public var fromArea: String?
    public var toArea: String?
    /// The berths AIS saw the vessel leave and reach (areas with a berth list only).
    public var fromBerth: String? = nil
    public var toBerth: String? = nil
    /// The reported voyage concerned, if any.
    public var voyage: VoyageKey?
    public var detail: String
    /// The bureaus of the waters AIS saw (unreported movements, area mismatches).
    public var bureaus: [String]
    /// Area mismatch: the reported areas' bureaus differ from those AIS saw, so the report was
    /// shared with the wrong bureaus.
    public var sharingWrong: Bool
}

/// One vessel-day checked: AIS coverage, and each reported voyage's outcome.
public struct VesselDayCheck: Sendable, Equatable {
    public var date: LocalDate
    public var mmsi: MMSI
    public var positions: Int
    public var firstAt: Instant?
    public var lastAt: Instant?
    /// The day's milliseconds with coverage, and the gaps without it.
    public var coveredMilliseconds: Int64
    public var dayMilliseconds: Int64
    public var gaps: [TimeSpan]
    public var confirmed: [VoyageKey]
    /// Reported voyages whose time AIS did not cover: neither confirmed nor flagged.
    public var noCoverage: [VoyageKey]
    public var discrepancies: [Discrepancy]
    /// The bureaus whose waters the day's positions lay in.
    public var bureausTouched: [String]
    /// The vessel's operator and the bureaus its reports of the day are shared with (the store
    /// fills them in; the scope of a bureau or an operator is judged by them).
    public var `operator`: String? = nil
    public var sharedWith: [String] = []

    public var coverageShare: Double { dayMilliseconds == 0 ? 0 : Double(coveredMilliseconds) / Double(dayMilliseconds) }
}

public enum CrossCheck {
    /// Checks a vessel's local day: its reported voyages (not cancelled) against its track
    /// (positions from a little before the day to a little after, so a movement across midnight
    /// is seen whole; a movement belongs to the day it starts on).
    public static func check(date: LocalDate, mmsi: MMSI, voyages: [Voyage], track: Track, setup: PortSetup,
                             calendar: ReportCalendar, settings: CrossCheckSettings) -> VesselDayCheck {
        let day = TimeSpan(start: calendar.startOfDay(date), end: calendar.startOfDay(date.adding(days: 1)))
        let inDay = track.points.filter { $0.at >= day.start && $0.at < day.end }
        var result = VesselDayCheck(date: date, mmsi: mmsi, positions: inDay.count, firstAt: inDay.first?.at, lastAt: inDay.last?.at,
                                    coveredMilliseconds: track.coveredMilliseconds(of: day, settings: settings),
                                    dayMilliseconds: day.milliseconds,
                                    gaps: track.gaps.filter { $0.overlaps(day) }, confirmed: [], noCoverage: [], discrepancies: [],
                                    bureausTouched: bureaus(touchedBy: inDay, setup: setup))
        var matched = [Bool](repeating: false, count: track.movements.count)
        let tolerance = settings.toleranceMilliseconds
        for voyage in voyages.sorted(by: { $0.departedAt < $1.departedAt }) {
            let reported = TimeSpan(start: voyage.departedAt, end: voyage.arrivedAt)
            let window = TimeSpan(start: voyage.departedAt.adding(milliseconds: -tolerance), end: voyage.arrivedAt.adding(milliseconds: tolerance))
            let overlapping = track.movements.indices.filter { track.movements[$0].span.overlaps(window) }
            if let first = overlapping.first, let last = overlapping.last {
                for index in overlapping { matched[index] = true }
                result.confirmed.append(voyage.key)
                let seenFrom = track.movements[first].fromArea, seenTo = track.movements[last].toArea
                guard seenFrom != voyage.fromArea || seenTo != voyage.toArea else { continue }
                let reportedBureaus = Set([voyage.fromArea, voyage.toArea].compactMap(setup.jurisdiction(ofArea:)))
                let seenBureaus = Set([seenFrom, seenTo].compactMap { $0 }.compactMap(setup.jurisdiction(ofArea:)))
                let sharingWrong = reportedBureaus != seenBureaus
                let span = TimeSpan(start: track.movements[first].span.start, end: track.movements[last].span.end)
                let firstMove = track.movements[first], lastMove = track.movements[last]
                result.discrepancies.append(Discrepancy(
                    date: date, mmsi: mmsi, kind: .areaMismatch, span: span, fromArea: seenFrom, toArea: seenTo,
                    fromBerth: firstMove.fromBerth, toBerth: lastMove.toBerth, voyage: voyage.key,
                    detail: "reported \(voyage.fromArea) → \(voyage.toArea); AIS shows \(name(seenFrom, firstMove.fromBerth)) → \(name(seenTo, lastMove.toBerth))"
                        + (sharingWrong ? "; the bureaus differ (reported \(reportedBureaus.sorted().joined(separator: ", ")), AIS \(seenBureaus.sorted().joined(separator: ", "))): the report's sharing is wrong" : "; same bureaus"),
                    bureaus: seenBureaus.sorted(), sharingWrong: sharingWrong))
            } else if track.covers(reported, settings: settings) {
                result.discrepancies.append(Discrepancy(
                    date: date, mmsi: mmsi, kind: .unconfirmedVoyage, span: reported, fromArea: voyage.fromArea, toArea: voyage.toArea,
                    voyage: voyage.key,
                    detail: "AIS had the vessel in view from before departure to after arrival and saw no movement above \(settings.movingKnots) kn",
                    bureaus: Set([voyage.fromArea, voyage.toArea].compactMap(setup.jurisdiction(ofArea:))).sorted(), sharingWrong: false))
            } else {
                result.noCoverage.append(voyage.key)
            }
        }
        for (index, movement) in track.movements.enumerated() where !matched[index] {
            guard movement.span.start >= day.start, movement.span.start < day.end else { continue }
            let bureaus = Set([movement.fromArea, movement.toArea].compactMap { $0 }.compactMap(setup.jurisdiction(ofArea:))).sorted()
            let minutes = movement.span.milliseconds / 60_000
            result.discrepancies.append(Discrepancy(
                date: date, mmsi: mmsi, kind: .unreportedMovement, span: movement.span, fromArea: movement.fromArea,
                toArea: movement.toArea, fromBerth: movement.fromBerth, toBerth: movement.toBerth, voyage: nil,
                detail: "moved \(name(movement.fromArea, movement.fromBerth)) → \(name(movement.toArea, movement.toBerth)), \(minutes) min, \(String(format: movement.distance)) nm; no reported voyage within \(tolerance / 60_000) min",
                bureaus: bureaus, sharingWrong: false))
        }
        result.discrepancies.sort { $0.span.start < $1.span.start }
        return result
    }

    private static func name(_ area: String?, _ berth: String? = nil) -> String {
        guard let area else { return "at sea" }
        return berth.map { "\(area) (berth \($0))" } ?? area
    }

    /// The bureaus of the areas the positions lay in (a national day is millions of positions:
    /// an area index a position, the previous one's tried first, marks in an array).
    static func bureaus(touchedBy points: [TrackPoint], setup: PortSetup) -> [String] {
        let locator = AreaLocator(setup)
        var touched = [Bool](repeating: false, count: setup.portAreas.count)
        var hint: Int?
        for point in points {
            hint = locator.areaIndex(at: point.position, hint: hint)
            if let hint { touched[hint] = true }
        }
        return Set(touched.indices.filter { touched[$0] }.map { setup.portAreas[$0].bureau }).sorted()
    }
}

private extension String {
    /// One decimal place, without Foundation's formatter.
    init(format value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
