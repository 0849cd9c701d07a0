import PortDailyAIS
import PortDailyCore

/// The geography of the configuration: bureaus, port areas with their boundaries and berths, and
/// the AIS section that reads positions against them.
extension ConfigLoader {
    static func portSetup(_ root: YAMLTree) throws(ConfigError) -> PortSetup {
        let bureausTree = try root.child("bureaus")
        var bureaus: [Bureau] = []
        for element in try bureausTree.elements() {
            try element.onlyKeys(["id", "name"])
            let id = try element.child("id").requiredString()
            guard !bureaus.contains(where: { $0.id == id }) else { throw try element.child("id").error("duplicate bureau id '\(id)'") }
            bureaus.append(Bureau(id: id, name: try element.child("name").string() ?? id))
        }
        guard !bureaus.isEmpty else { throw bureausTree.error("at least one bureau is needed") }

        let areasTree = try root.child("portAreas")
        var areas: [PortArea] = []
        for element in try areasTree.elements() {
            try element.onlyKeys(["id", "name", "bureau", "boundary", "berths"])
            let idTree = try element.child("id")
            let id = try idTree.requiredString()
            guard !areas.contains(where: { $0.id == id }) else { throw idTree.error("duplicate port area id '\(id)'") }
            let bureauTree = try element.child("bureau")
            let bureau = try bureauTree.requiredString()
            guard bureaus.contains(where: { $0.id == bureau }) else {
                throw bureauTree.error("unknown bureau '\(bureau)' (bureaus: \(bureaus.map(\.id).joined(separator: ", ")))")
            }
            let boundaryTree = try element.child("boundary")
            let boundary = try Self.boundary(boundaryTree, area: id)
            if let boundary, let other = areas.first(where: { $0.boundary?.overlaps(boundary) == true }) {
                throw boundaryTree.error("area '\(id)' overlaps area '\(other.id)': an AIS position must belong to one area at most")
            }
            let berths = try Self.berths(try element.child("berths"), area: id, boundary: boundary)
            areas.append(PortArea(id: id, name: try element.child("name").string() ?? id, bureau: bureau, boundary: boundary,
                                  berths: berths))
        }
        guard !areas.isEmpty else { throw areasTree.error("at least one port area is needed") }

        let typesTree = try root.child("vesselTypes")
        var types: [String] = []
        for element in try typesTree.elements() {
            let type = try element.requiredString()
            guard !types.contains(type) else { throw element.error("duplicate vessel type '\(type)'") }
            types.append(type)
        }
        return PortSetup(bureaus: bureaus, portAreas: areas, vesselTypes: types.isEmpty ? PortSetup.defaultVesselTypes : types)
    }

    /// `[{id, name, position: [lon, lat]}]`, each inside the area's boundary when it has one.
    static func berths(_ tree: YAMLTree, area: String, boundary: GeoPolygon?) throws(ConfigError) -> [Berth] {
        var berths: [Berth] = []
        for element in try tree.elements() {
            try element.onlyKeys(["id", "name", "position"])
            let idTree = try element.child("id")
            let id = try idTree.requiredString()
            guard !berths.contains(where: { $0.id == id }) else { throw idTree.error("area '\(area)': duplicate berth id '\(id)'") }
            let positionTree = try element.child("position")
            let pair = try positionTree.elements()
            guard pair.count == 2, let lon = try pair[0].double(in: -180...180), let lat = try pair[1].double(in: -90...90) else {
                throw positionTree.error("area '\(area)', berth '\(id)': expected [longitude, latitude]")
            }
            let position = GeoPoint(lon: lon, lat: lat)
            if let boundary, !boundary.contains(position) {
                throw positionTree.error("area '\(area)', berth '\(id)': the position lies outside the area's boundary")
            }
            berths.append(Berth(id: id, name: try element.child("name").string() ?? id, position: position))
        }
        return berths
    }

    /// `[[lon, lat], ...]`: a closed ring in GeoJSON's order, not crossing itself.
    static func boundary(_ tree: YAMLTree, area: String) throws(ConfigError) -> GeoPolygon? {
        let points = try tree.elements()
        guard !points.isEmpty else { return nil }
        var ring: [GeoPoint] = []
        for point in points {
            let pair = try point.elements()
            guard pair.count == 2, let lon = try pair[0].double(in: -180...180), let lat = try pair[1].double(in: -90...90) else {
                throw point.error("area '\(area)': expected [longitude, latitude]")
            }
            ring.append(GeoPoint(lon: lon, lat: lat))
        }
        switch GeoPolygon.make(ring) {
        case .success(let polygon): return polygon
        case .failure(let problem): throw tree.error("area '\(area)': \(problem)")
        }
    }

    static func aisSettings(_ tree: YAMLTree) throws(ConfigError) -> AISSettings {
        var settings = AISSettings()
        guard !tree.isAbsent else { return settings }
        try tree.onlyKeys(["udp", "tcp", "retention", "movingKnots", "minimumMovement", "minimumStop", "coverageGap", "tolerance",
                           "stationaryThinning"])
        func endpoint(_ tree: YAMLTree) throws(ConfigError) -> AISSettings.Endpoint? {
            guard let text = try tree.string() else { return nil }
            guard let (host, port) = DaemonSettings.parseListen(text) else {
                throw tree.error("expected HOST:PORT such as 127.0.0.1:10110 or [::1]:10110, got '\(text)'")
            }
            return AISSettings.Endpoint(host: host, port: port)
        }
        settings.udp = try endpoint(try tree.child("udp"))
        for element in try tree.child("tcp").elements() {
            if let feed = try endpoint(element) { settings.tcp.append(feed) }
        }
        let retentionTree = try tree.child("retention")
        if let retention = try retentionTree.duration() {
            guard retention >= Instant.millisecondsPerDay else { throw retentionTree.error("must be at least a day (the check reads a whole day)") }
            settings.retentionMilliseconds = retention
        }
        if let knots = try tree.child("movingKnots").double(in: 0.1...30) { settings.crossCheck.movingKnots = knots }
        for (key, path) in [("minimumMovement", \CrossCheckSettings.minimumMovementMilliseconds),
                            ("minimumStop", \CrossCheckSettings.minimumStopMilliseconds),
                            ("coverageGap", \CrossCheckSettings.coverageGapMilliseconds),
                            ("tolerance", \CrossCheckSettings.toleranceMilliseconds),
                            ("stationaryThinning", \CrossCheckSettings.stationaryThinningMilliseconds)] {
            let child = try tree.child(key)
            if let value = try child.duration() {
                guard value <= 12 * Instant.millisecondsPerHour else { throw child.error("must be at most 12h") }
                settings.crossCheck[keyPath: path] = value
            }
        }
        return settings
    }
}
