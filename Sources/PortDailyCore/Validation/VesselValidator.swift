/// The rules a register entry must pass.
public struct VesselValidator: Sendable {
    public let setup: PortSetup
    public init(setup: PortSetup) { self.setup = setup }

    public func validate(_ fields: RecordFields) throws(FieldIssue) -> (vessel: Vessel, warnings: [FieldIssue]) {
        var reader = FieldReader(fields: fields)
        try reader.unknownFields(allowed: Vessel.fieldNameSet)
        let mmsi = try reader.mmsi("mmsi")
        let imo = try reader.imo("imo")
        let name = try reader.required("name", maxLength: 128)
        let callSign = try reader.optional("callSign", maxLength: 16)
        let type = try reader.required("type", maxLength: 64)
        guard setup.knowsVesselType(type) else {
            throw FieldIssue(field: "type", reason: "unknown vessel type '\(type)' (one of \(setup.vesselTypes.joined(separator: ", ")))")
        }
        let operatorID = try reader.required("operator", maxLength: 64)
        let homeBureau = try reader.required("homeBureau", maxLength: 64)
        guard setup.bureau(homeBureau) != nil else {
            throw FieldIssue(field: "homeBureau", reason: "unknown bureau '\(homeBureau)'")
        }
        guard let admittedFrom = try reader.date("admittedFrom") else {
            throw FieldIssue(field: "admittedFrom", reason: "missing")
        }
        let admittedUntil = try reader.date("admittedUntil")
        if let admittedUntil, admittedUntil < admittedFrom {
            throw FieldIssue(field: "admittedUntil", reason: "admission ends before it starts")
        }
        var warnings: [FieldIssue] = []
        if let imo, !imo.checkDigitIsValid {
            warnings.append(FieldIssue(field: "imo", reason: "IMO check digit does not match: \(imo)"))
        }
        let vessel = Vessel(mmsi: mmsi, imo: imo, name: name, callSign: callSign, type: type, operator: operatorID,
                            homeBureau: homeBureau, admittedFrom: admittedFrom, admittedUntil: admittedUntil)
        return (vessel, warnings)
    }
}
