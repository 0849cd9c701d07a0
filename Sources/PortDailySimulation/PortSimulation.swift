public import PortDailyCore

/// What to simulate.
public struct SimulationParameters: Sendable {
    public var vessels: Int
    public var days: Int
    /// Mean jobs (voyage legs) per vessel per day.
    public var jobsPerVesselDay: Double
    /// Share of legs that cross into another bureau's waters (the case: about 1/60).
    public var crossShare: Double
    public var seed: UInt64
    public var firstDay: LocalDate
    /// Share of vessels not admitted to daily reporting (their voyages stay per-voyage reports).
    public var unadmittedShare: Double

    public init(vessels: Int, days: Int, jobsPerVesselDay: Double, crossShare: Double, seed: UInt64, firstDay: LocalDate,
                unadmittedShare: Double = 0.03) {
        self.vessels = vessels
        self.days = days
        self.jobsPerVesselDay = jobsPerVesselDay
        self.crossShare = crossShare
        self.seed = seed
        self.firstDay = firstDay
        self.unadmittedShare = unadmittedShare
    }
}

/// Generates a realistic register and movement feed for a configured port: operators by vessel
/// type, a vessel mix dominated by tugs, daytime-heavy jobs, legs of 20 to 120 minutes, and the
/// requested share of legs crossing jurisdictions. Same parameters and setup, same output.
public struct PortSimulation: Sendable {
    public let setup: PortSetup
    public let calendar: ReportCalendar
    public let parameters: SimulationParameters

    public init(setup: PortSetup, calendar: ReportCalendar, parameters: SimulationParameters) {
        self.setup = setup
        self.calendar = calendar
        self.parameters = parameters
    }

    /// The register: vessels spread over the configured types and the bureaus' areas.
    public func vessels() -> [Vessel] {
        var rng = SeededGenerator(seed: parameters.seed)
        return (0..<parameters.vessels).map { index in
            let type = Fleet.type(for: index, among: setup.vesselTypes, using: &rng)
            let base = setup.portAreas[Int.random(in: 0..<setup.portAreas.count, using: &rng)]
            let admitted = Double.random(in: 0..<1, using: &rng) >= parameters.unadmittedShare
            let from = admitted ? parameters.firstDay.adding(days: -90) : parameters.firstDay.adding(days: parameters.days + 30)
            return Vessel(
                mmsi: MMSI(String(412_000_001 + index))!,
                imo: Int.random(in: 0..<3, using: &rng) == 0 ? nil : Fleet.imo(index, using: &rng),
                name: Fleet.name(type: type, number: index + 1), callSign: "BV\(String(index + 1000))",
                type: type, operator: Fleet.operatorID(type: type, index: index), homeBureau: base.bureau,
                admittedFrom: from, admittedUntil: nil)
        }
    }

    /// Every voyage of every vessel on every simulated day, passed one at a time to `emit`
    /// (a year of a large port does not fit comfortably in memory as one array).
    public func voyages(of vessels: [Vessel], emit: (Voyage) -> Void) {
        let areasByBureau = Dictionary(grouping: setup.portAreas, by: \.bureau)
        for (index, vessel) in vessels.enumerated() {
            var rng = SeededGenerator(seed: parameters.seed &+ 0x5EED &+ UInt64(index) &* 0x1_0000_0001)
            let homeAreas = areasByBureau[vessel.homeBureau] ?? setup.portAreas
            var position = homeAreas[Int.random(in: 0..<homeAreas.count, using: &rng)]
            var sequence = 0
            for day in 0..<parameters.days {
                let date = parameters.firstDay.adding(days: day)
                let jobs = jobCount(using: &rng)
                guard jobs > 0 else { continue }
                let midnight = calendar.startOfDay(date).millisecondsSinceEpoch
                // Daytime-heavy: jobs start between 05:00 and 21:00, packed with gaps so legs never overlap.
                var minute = Int64(Int.random(in: 300...420, using: &rng))
                for _ in 0..<jobs {
                    let leg = Int64(Int.random(in: 20...120, using: &rng))
                    guard minute + leg < 23 * 60 + 50 else { break }
                    let crosses = Double.random(in: 0..<1, using: &rng) < parameters.crossShare
                    let destination = nextArea(from: position, crosses: crosses, byBureau: areasByBureau, using: &rng)
                    sequence += 1
                    let departed = Instant(millisecondsSinceEpoch: midnight + minute * 60_000)
                    emit(Voyage(
                        movementId: "\(vessel.mmsi)-\(date)-\(sequence)", operator: vessel.operator, mmsi: vessel.mmsi,
                        job: Fleet.job(type: vessel.type, using: &rng), departedAt: departed, fromArea: position.id,
                        fromBerth: "\(position.id.prefix(2).uppercased())\(Int.random(in: 1...40, using: &rng))",
                        arrivedAt: departed.adding(milliseconds: leg * 60_000), toArea: destination.id,
                        toBerth: "\(destination.id.prefix(2).uppercased())\(Int.random(in: 1...40, using: &rng))",
                        servedShipImo: Fleet.imo(Int.random(in: 0..<900_000, using: &rng), using: &rng),
                        servedShipName: Fleet.merchantName(using: &rng),
                        personsAboard: Int.random(in: 4...9, using: &rng), remarks: nil))
                    position = destination
                    minute += leg + Int64(Int.random(in: 10...60, using: &rng))
                }
            }
        }
    }

    private func jobCount(using rng: inout SeededGenerator) -> Int {
        // Mean jobsPerVesselDay, spread ±50 %; a day off now and then (crews work one day in three).
        let mean = parameters.jobsPerVesselDay
        guard mean > 0 else { return 0 }
        let spread = max(1, Int((mean * 0.5).rounded()))
        return max(0, Int(mean.rounded()) + Int.random(in: -spread...spread, using: &rng))
    }

    private func nextArea(from area: PortArea, crosses: Bool, byBureau: [String: [PortArea]],
                          using rng: inout SeededGenerator) -> PortArea {
        let candidates = crosses
            ? setup.portAreas.filter { $0.bureau != area.bureau }
            : byBureau[area.bureau] ?? [area]
        guard !candidates.isEmpty else { return area }
        return candidates[Int.random(in: 0..<candidates.count, using: &rng)]
    }
}
