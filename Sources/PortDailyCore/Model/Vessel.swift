/// A vessel in the register of those admitted to consolidated daily reporting.
public struct Vessel: Hashable, Sendable, Codable {
    public var mmsi: MMSI
    public var imo: IMONumber?
    public var name: String
    public var callSign: String?
    public var type: String
    public var `operator`: String
    /// The ONE administration this vessel's daily reports are filed with.
    public var homeBureau: String
    public var admittedFrom: LocalDate
    public var admittedUntil: LocalDate?

    public init(mmsi: MMSI, imo: IMONumber? = nil, name: String, callSign: String? = nil, type: String,
                operator: String, homeBureau: String, admittedFrom: LocalDate, admittedUntil: LocalDate? = nil) {
        self.mmsi = mmsi
        self.imo = imo
        self.name = name
        self.callSign = callSign
        self.type = type
        self.operator = `operator`
        self.homeBureau = homeBureau
        self.admittedFrom = admittedFrom
        self.admittedUntil = admittedUntil
    }

    /// Whether the admission window covers a date (both ends inclusive).
    public func isAdmitted(on date: LocalDate) -> Bool {
        admittedFrom <= date && (admittedUntil.map { date <= $0 } ?? true)
    }
}

extension Vessel {
    public static let fieldNames = [
        "mmsi", "imo", "name", "callSign", "type", "operator", "homeBureau", "admittedFrom", "admittedUntil",
    ]
    /// The same names as a set, made once (a reader or validator looks names up in it).
    public static let fieldNameSet = FieldNameSet(fieldNames)
    public static let requiredFieldNames: Set<String> = ["mmsi", "name", "type", "operator", "homeBureau", "admittedFrom"]

    public var fieldValues: [String?] {
        [mmsi.rawValue, imo?.rawValue, name, callSign, type, self.operator, homeBureau, admittedFrom.description,
         admittedUntil?.description]
    }
}
