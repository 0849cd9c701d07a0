import PortDailyCore
import PortDailyTestSupport
import Testing

@Suite("Voyage validation")
struct VoyageValidationTests {
    func issue(_ overrides: [String: String?], now: String = "2026-03-03T00:00:00Z") -> FieldIssue? {
        do {
            _ = try Fixture.validator(now: now).validate(Fixture.fields(overrides))
            return nil
        } catch { return error }
    }

    @Test("a valid record becomes a voyage with UTC instants")
    func valid() throws {
        let (voyage, warnings) = try Fixture.validator().validate(Fixture.fields(["personsAboard": "6", "remarks": "  ok  "]))
        #expect(voyage.departedAt == Fixture.instant("2026-03-02T00:00:00Z"))
        #expect(voyage.personsAboard == 6)
        #expect(voyage.remarks == "ok")
        #expect(warnings.isEmpty)
    }

    @Test("a value is trimmed of white space at either end or both", arguments: ["  M7", "M7  ", " M7 ", "\tM7", "M7\u{3000}"])
    func trimmed(movementId: String) throws {
        let (voyage, _) = try Fixture.validator().validate(Fixture.fields(["movementId": movementId]))
        #expect(voyage.movementId == "M7")
    }

    @Test("every field read from its bytes (times, codes, identifiers, the operator) reads the same with white space around it",
          arguments: Voyage.fieldNames)
    func paddedField(field: String) throws {
        let plain = Fixture.fields(["fromBerth": "B1", "toBerth": "B2", "servedShipImo": "IMO 9074729", "servedShipName": "CSCL GLORY", "personsAboard": "6", "remarks": "ok"])
        var padded = plain
        padded[field] = plain[field].map { " \t\($0)\u{3000}" }
        #expect(padded != plain)
        let expected = try Fixture.validator(submitter: "op1").validate(plain).voyage
        #expect(try Fixture.validator(submitter: "op1").validate(padded).voyage == expected)
    }

    @Test("every required field, missing in turn, is named", arguments: Voyage.requiredFieldNames.sorted())
    func missing(field: String) {
        #expect(issue([field: nil]) == FieldIssue(field: field, reason: "missing"))
        #expect(issue([field: "   "])?.field == field)
    }

    @Test("each rule refuses with the field it concerns", arguments: [
        (["fromArea": "nowhere"], "fromArea", "unknown port area"),
        (["toArea": "s9"], "toArea", "unknown port area"),
        (["mmsi": "412999999"], "mmsi", "not in the register"),
        (["mmsi": "412000002"], "mmsi", "belongs to another operator"),
        (["mmsi": "12345"], "mmsi", "not a ship MMSI"),
        (["arrivedAt": "2026-03-02T07:59:00+08:00"], "arrivedAt", "before departure"),
        (["arrivedAt": "2026-03-03T08:00:01+08:00"], "arrivedAt", "longer than 24 h"),
        (["departedAt": "2026-03-02 08:00"], "departedAt", "without an offset"),
        (["departedAt": "2026-03-02T08:00:00"], "departedAt", "without an offset"),
        (["departedAt": "02/03/2026 08:00"], "departedAt", "not an ISO 8601 time"),
        (["arrivedAt": "soon"], "arrivedAt", "not an ISO 8601 time"),
        (["job": "towing"], "job", "unknown job"),
        (["personsAboard": "-1"], "personsAboard", "whole number"),
        (["personsAboard": "1e400"], "personsAboard", "whole number"),
        (["servedShipImo": "12345"], "servedShipImo", "not an IMO number"),
        (["colour": "red"], "colour", "unknown field"),
        // Of several unknown fields, the first in name order, whatever order the record has.
        (["zz": "1", "colour": "red", "mode": "x", "Zeta": "2"], "Zeta", "unknown field"),
        (["remarks": String(repeating: "x", count: 1001)], "remarks", "longer than 1000"),
        (["fromBerth": "A\u{7}"], "fromBerth", "control characters"),
    ] as [([String: String], String, String)])
    func rules(overrides: [String: String], field: String, reason: String) {
        let found = issue(overrides)
        #expect(found?.field == field)
        #expect(found?.reason.contains(reason) == true, "\(String(describing: found))")
    }

    @Test("ancient and far-future departures are refused")
    func dates() {
        #expect(issue(["departedAt": "1999-12-31T08:00:00+08:00", "arrivedAt": "1999-12-31T09:00:00+08:00"])?.field == "departedAt")
        #expect(issue(["departedAt": "2026-03-05T08:00:01+08:00", "arrivedAt": "2026-03-05T09:00:00+08:00"])?.reason
            .contains("future") == true)
        #expect(issue(["departedAt": "2026-03-04T08:00:00+08:00", "arrivedAt": "2026-03-04T09:00:00+08:00"]) == nil)
    }

    @Test("an IMO number with a failing check digit is a warning, not a rejection")
    func imoWarning() throws {
        let (voyage, warnings) = try Fixture.validator().validate(Fixture.fields(["servedShipImo": "9074728"]))
        #expect(voyage.servedShipImo?.rawValue == "9074728")
        #expect(warnings.map(\.field) == ["servedShipImo"])
    }

    @Test("an operator's token submits for that operator only")
    func submitter() {
        #expect(throws: FieldIssue.self) { try Fixture.validator(submitter: "op2").validate(Fixture.fields()) }
        #expect(throws: Never.self) { try Fixture.validator(submitter: "op1").validate(Fixture.fields()) }
    }
}

@Suite("Vessel validation")
struct VesselValidationTests {
    let validator = VesselValidator(setup: Fixture.setup)
    let valid: RecordFields = ["mmsi": "412000009", "name": "津港拖9号", "type": "tug", "operator": "op1", "homeBureau": "north",
                 "admittedFrom": "2026-01-01"]

    @Test("a valid entry, with its Chinese name intact")
    func accepted() throws {
        let vessel = try validator.validate(valid).vessel
        #expect(vessel.name == "津港拖9号")
        #expect(vessel.isAdmitted(on: Fixture.date("2026-01-01")))
        #expect(!vessel.isAdmitted(on: Fixture.date("2025-12-31")))
    }

    @Test("each rule names its field", arguments: [
        ("type", "ferry"), ("homeBureau", "nowhere"), ("mmsi", "912000009"), ("admittedFrom", "2026-13-01"),
        ("admittedUntil", "2025-12-31"), ("imo", "12"), ("name", ""),
    ])
    func refused(field: String, value: String) {
        var fields = valid
        fields[field] = value
        #expect(throws: FieldIssue.self) { try validator.validate(fields) }
        do { _ = try validator.validate(fields) } catch { #expect(error.field == field) }
    }
}

@Suite("Control characters")
struct ControlCharacterTests {
    @Test("the byte-level check agrees with Unicode's general category Cc for every scalar up to U+FFFF")
    func agreesWithUnicode() {
        for value in 0...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a" + String(Character(scalar)) + "b"
            let byCategory = text.unicodeScalars.contains { $0.properties.generalCategory == .control }
            let field = FieldIssueProbe.issue(text)
            #expect((field != nil) == byCategory, "U+\(String(value, radix: 16))")
        }
    }
}

/// Runs a text through a validator field (remarks) and returns the issue, if any.
enum FieldIssueProbe {
    static func issue(_ remarks: String) -> FieldIssue? {
        do {
            _ = try Fixture.validator().validate(Fixture.fields(["remarks": remarks]))
            return nil
        } catch { return error }
    }
}
