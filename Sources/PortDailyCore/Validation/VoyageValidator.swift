/// The rules a submitted voyage must pass, with everything they depend on passed in:
/// the reference data, a snapshot of the register, and the time of receipt.
public struct VoyageValidator: Sendable {
    public let setup: PortSetup
    public let register: [MMSI: Vessel]
    public let now: Instant
    /// Departures earlier than this are refused (ancient or mistyped years).
    public let earliestDeparture: Instant
    /// How far past `now` a departure may lie (reports may precede the movement).
    public let maxFutureMilliseconds: Int64
    /// When set, only voyages of this operator are accepted (an operator's token).
    public let submitter: String?

    public static let maxLegMilliseconds: Int64 = 24 * Instant.millisecondsPerHour

    public init(setup: PortSetup, register: [MMSI: Vessel], now: Instant,
                earliestDeparture: Instant = ISO8601.parse("2000-01-01T00:00:00Z")!,
                maxFutureMilliseconds: Int64 = 48 * Instant.millisecondsPerHour, submitter: String? = nil) {
        self.setup = setup
        self.register = register
        self.now = now
        self.earliestDeparture = earliestDeparture
        self.maxFutureMilliseconds = maxFutureMilliseconds
        self.submitter = submitter
    }

    /// The voyage the record describes, and any warnings; or the first field that fails.
    public func validate(_ fields: RecordFields) throws(FieldIssue) -> (voyage: Voyage, warnings: [FieldIssue]) {
        var reader = FieldReader(fields: fields)
        try reader.unknownFields(allowed: Voyage.fieldNameSet)
        let movementId = try reader.required("movementId", maxLength: 128)
        // The operator is compared on its bytes; the voyage keeps the register's text of it.
        let operatorValue = try reader.requiredValue("operator", maxLength: 64)
        if let submitter, !reader.value(operatorValue, is: submitter) {
            throw FieldIssue(field: "operator", reason: "this token submits for operator \(submitter) only")
        }
        let mmsi = try reader.mmsi("mmsi")
        guard let vessel = register[mmsi] else {
            throw FieldIssue(field: "mmsi", reason: "vessel \(mmsi) is not in the register")
        }
        guard reader.value(operatorValue, is: vessel.operator) else {
            throw FieldIssue(field: "mmsi", reason: "vessel \(mmsi) belongs to another operator")
        }
        let operatorID = vessel.operator
        let jobValue = try reader.requiredValue("job", maxLength: 32)
        guard let job = reader.parse(jobValue, Job.init(utf8:)) else {
            throw FieldIssue(field: "job", reason: "unknown job '\(reader.text(jobValue))' (one of \(Job.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let departedAt = try reader.instant("departedAt")
        let fromArea = try area(&reader, "fromArea")
        let fromBerth = try reader.optional("fromBerth", maxLength: 64)
        let arrivedAt = try reader.instant("arrivedAt")
        let toArea = try area(&reader, "toArea")
        let toBerth = try reader.optional("toBerth", maxLength: 64)
        try checkTimes(departedAt: departedAt, arrivedAt: arrivedAt)
        let servedShipImo = try reader.imo("servedShipImo")
        let servedShipName = try reader.optional("servedShipName", maxLength: 128)
        let personsAboard = try persons(&reader)
        let remarks = try reader.optional("remarks", maxLength: 1000)
        var warnings: [FieldIssue] = []
        if let servedShipImo, !servedShipImo.checkDigitIsValid {
            warnings.append(FieldIssue(field: "servedShipImo", reason: "IMO check digit does not match: \(servedShipImo)"))
        }
        let voyage = Voyage(
            movementId: movementId, operator: operatorID, mmsi: mmsi, job: job, departedAt: departedAt,
            fromArea: fromArea, fromBerth: fromBerth, arrivedAt: arrivedAt, toArea: toArea, toBerth: toBerth,
            servedShipImo: servedShipImo, servedShipName: servedShipName, personsAboard: personsAboard, remarks: remarks)
        return (voyage, warnings)
    }

    private func area(_ reader: inout FieldReader, _ name: String) throws(FieldIssue) -> String {
        let value = try reader.requiredValue(name, maxLength: 64)
        guard let id = reader.parse(value, setup.areaID(spelledBy:)) else {
            throw FieldIssue(field: name, reason: "unknown port area '\(reader.text(value))'")
        }
        return id
    }

    private func checkTimes(departedAt: Instant, arrivedAt: Instant) throws(FieldIssue) {
        if arrivedAt < departedAt {
            throw FieldIssue(field: "arrivedAt", reason: "arrival \(arrivedAt) is before departure \(departedAt)")
        }
        if arrivedAt.millisecondsSinceEpoch - departedAt.millisecondsSinceEpoch > Self.maxLegMilliseconds {
            throw FieldIssue(field: "arrivedAt", reason: "leg longer than 24 h")
        }
        if departedAt < earliestDeparture {
            throw FieldIssue(field: "departedAt", reason: "departure \(departedAt) is before \(earliestDeparture)")
        }
        if departedAt.millisecondsSinceEpoch > now.millisecondsSinceEpoch + maxFutureMilliseconds {
            throw FieldIssue(field: "departedAt", reason: "departure \(departedAt) is too far in the future")
        }
    }

    private func persons(_ reader: inout FieldReader) throws(FieldIssue) -> Int? {
        guard let text = try reader.optional("personsAboard", maxLength: 8) else { return nil }
        guard let value = Int(text), (0...9999).contains(value) else {
            throw FieldIssue(field: "personsAboard", reason: "not a whole number from 0 to 9999: \(text)")
        }
        return value
    }
}
