import GRDB
public import PortDailyCore

extension PortDailyStore {
    /// The figures of `query`: the voyages of its period read (``figureInputs(from:to:setup:)``),
    /// then computed by the core's ``FigureCalculator``.
    public func figures(_ query: FigureQuery, setup: PortSetup, parameters: FigureParameters) throws -> FigureResult {
        let inputs = try figureInputs(from: query.from, to: query.to, setup: setup)
        return FigureCalculator(setup: setup, parameters: parameters).figures(query, vessels: inputs.vessels, voyages: inputs.voyages)
    }

    /// Compact inputs of the figures for a date range: the register and every non-cancelled
    /// voyage in it, with its areas resolved to the bureaus of `setup` (-1 for an area no
    /// longer configured). Vessels no longer in the register count as not admitted.
    public func figureInputs(from: LocalDate, to: LocalDate, setup: PortSetup) throws -> (vessels: [FigureVessel], voyages: [FigureVoyage]) {
        try writer.read { db in
            var vessels = try Self.register(db).values.sorted { $0.mmsi < $1.mmsi }.map(FigureVessel.init)
            var vesselIndex = Dictionary(uniqueKeysWithValues: vessels.enumerated().map { ($1.mmsi, Int32($0)) })
            let bureauIndex = Dictionary(uniqueKeysWithValues: setup.bureaus.enumerated().map { ($1.id, Int16($0)) })
            var areaBureau: [String: Int16] = [:]
            for area in setup.portAreas { areaBureau[area.id] = bureauIndex[area.bureau] ?? -1 }
            var voyages: [FigureVoyage] = []
            let statement = try db.makeStatement(sql: VoyagesByVessel.select(
                "reportDate, mmsi, fromArea, toArea", where: "reportDate BETWEEN ? AND ? AND cancelled = 0"))
            let rows = try Row.fetchCursor(statement, arguments: [from.dayNumber, to.dayNumber])
            while let row = try rows.next() {
                let read = StoredRow(row: row, table: "voyage")
                let mmsi = try read.text(at: 1, "mmsi")
                let vessel: Int32
                if let known = vesselIndex[mmsi] { vessel = known } else {
                    vessel = Int32(vessels.count)
                    vessels.append(FigureVessel(mmsi: mmsi, type: "unregistered", operator: "", admittedFrom: nil, admittedUntil: nil))
                    vesselIndex[mmsi] = vessel
                }
                // An area the configuration no longer names counts as no bureau's (-1).
                voyages.append(FigureVoyage(day: Int32(try read.int64(at: 0, "reportDate")), vessel: vessel,
                                            fromBureau: areaBureau[try read.text(at: 2, "fromArea")] ?? -1,
                                            toBureau: areaBureau[try read.text(at: 3, "toArea")] ?? -1))
            }
            return (vessels, voyages)
        }
    }
}
