import GRDB
public import PortDailyCore

extension PortDailyStore {
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
                let mmsi: String = row[1]
                let vessel: Int32
                if let known = vesselIndex[mmsi] { vessel = known } else {
                    vessel = Int32(vessels.count)
                    vessels.append(FigureVessel(mmsi: mmsi, type: "unregistered", operator: "", admittedFrom: nil, admittedUntil: nil))
                    vesselIndex[mmsi] = vessel
                }
                voyages.append(FigureVoyage(day: Int32(row[0] as Int), vessel: vessel,
                                            fromBureau: areaBureau[row[2] as String] ?? -1, toBureau: areaBureau[row[3] as String] ?? -1))
            }
            return (vessels, voyages)
        }
    }
}
