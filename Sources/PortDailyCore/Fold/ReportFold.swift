/// Folds the voyages of one vessel on one local date into the reports the regime requires.
///
/// A pure function of its inputs: the same voyages in any order give the same reports.
public struct ReportFold: Sendable {
    public let setup: PortSetup

    public init(setup: PortSetup) { self.setup = setup }

    /// The reports for a vessel-day: one daily report when the vessel is admitted on that date,
    /// otherwise one per-voyage report per voyage. No voyages, no reports.
    public func reports(vessel: Vessel, date: LocalDate, voyages: [Voyage]) -> [Report] {
        guard !voyages.isEmpty else { return [] }
        let ordered = voyages.sorted(by: Self.timeOrder)
        if vessel.isAdmitted(on: date) {
            let shared = Set([vessel.homeBureau]).union(ordered.flatMap(bureaus(touchedBy:)))
            return [report(id: Report.dailyID(mmsi: vessel.mmsi, date: date), kind: .daily, vessel: vessel,
                           date: date, sharedWith: shared, voyages: ordered)]
        }
        return ordered.map { voyage in
            report(id: Report.perVoyageID(voyage.key), kind: .perVoyage, vessel: vessel, date: date,
                   sharedWith: Set(bureaus(touchedBy: voyage)), voyages: [voyage])
        }
    }

    /// A report that once existed but whose voyages are all gone: kept as an empty revision.
    public func withdrawn(_ report: Report) -> Report {
        var copy = report
        copy.voyages = []
        copy.totals = totals(of: [])
        return copy
    }

    /// The bureaus whose waters a voyage touched: those of its two areas.
    public func bureaus(touchedBy voyage: Voyage) -> [String] {
        [setup.jurisdiction(ofArea: voyage.fromArea), setup.jurisdiction(ofArea: voyage.toArea)].compactMap { $0 }
    }

    /// Whether a voyage's two areas lie in different bureaus' jurisdictions.
    public func crossesJurisdiction(_ voyage: Voyage) -> Bool {
        setup.jurisdiction(ofArea: voyage.fromArea) != setup.jurisdiction(ofArea: voyage.toArea)
    }

    /// Departure, then arrival, then operator and movement id: a total order, so the fold is deterministic.
    public static func timeOrder(_ a: Voyage, _ b: Voyage) -> Bool {
        (a.departedAt, a.arrivedAt, a.key) < (b.departedAt, b.arrivedAt, b.key)
    }

    private func report(id: String, kind: ReportKind, vessel: Vessel, date: LocalDate, sharedWith: Set<String>,
                        voyages: [Voyage]) -> Report {
        Report(reportId: id, kind: kind, date: date, mmsi: vessel.mmsi, vesselName: vessel.name, vesselImo: vessel.imo,
               callSign: vessel.callSign, vesselType: vessel.type, operator: vessel.operator,
               homeBureau: vessel.homeBureau, sharedWith: sharedWith.sorted(), voyages: voyages,
               totals: totals(of: voyages))
    }

    func totals(of voyages: [Voyage]) -> ReportTotals {
        var jobs: [String: Int] = [:]
        var areas = Set<String>()
        for voyage in voyages {
            jobs[voyage.job.rawValue, default: 0] += 1
            areas.insert(voyage.fromArea)
            areas.insert(voyage.toArea)
        }
        return ReportTotals(
            voyages: voyages.count,
            crossJurisdictionVoyages: voyages.count(where: crossesJurisdiction),
            jobs: jobs,
            areasVisited: areas.sorted(),
            firstDeparture: voyages.map(\.departedAt).min(),
            lastArrival: voyages.map(\.arrivedAt).max(),
            personsAboardMax: voyages.compactMap(\.personsAboard).max())
    }

    /// What changed from one revision's voyages to the next.
    public static func changes(from old: [Voyage], to new: [Voyage]) -> [ReportChange] {
        if old.isEmpty {  // a first revision: every voyage added (the common case, kept cheap)
            return Set(new.map(\.key)).sorted().map { ReportChange(movementId: $0.movementId, operator: $0.operator, action: .added) }
        }
        let before = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var result: [ReportChange] = []
        for key in Set(before.keys).union(after.keys).sorted() {
            switch (before[key], after[key]) {
            case (nil, .some): result.append(ReportChange(movementId: key.movementId, operator: key.operator, action: .added))
            case (.some, nil): result.append(ReportChange(movementId: key.movementId, operator: key.operator, action: .withdrawn))
            case let (.some(a), .some(b)) where a != b:
                result.append(ReportChange(movementId: key.movementId, operator: key.operator, action: .corrected))
            default: break
            }
        }
        return result
    }
}
