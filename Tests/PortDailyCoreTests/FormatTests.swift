import PortDailyCore
import PortDailySimulation
import Testing

@Suite("CSV")
struct CSVTests {
    @Test("escaping into bytes writes the same text as escaping into a string", arguments: [
        "", "plain", "a,b", "say \"hi\"", "\"", "two\nlines", "cr\r", " lead", "trail ", "\u{3000}全角空格",
        "津港拖1号, 港作", "tab\t", "\u{85}next line", "ok",
    ])
    func escapedBytes(field: String) {
        var bytes: [UInt8] = Array("x,".utf8)
        CSVWriter.appendEscaped(field, to: &bytes)
        #expect(bytes == Array(("x," + CSVWriter.escape(field)).utf8))
    }

    @Test("quoted commas, doubled quotes, line breaks inside quotes, CRLF and a byte order mark")
    func rfc4180() {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n1,,3\n"
        let rows = CSVParser.parse(Array(text.utf8))
        #expect(rows.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "", "3"]])
        #expect(rows.allSatisfy { $0.error == nil })
        #expect(rows.map(\.number) == [1, 2, 3])
    }

    @Test("the same rows whatever the chunking, even one byte at a time")
    func chunking() {
        let text = Array("\u{FEFF}h1,h2\r\n\"a,\"\"b\",c\r\n\n\"d\r\ne\",f".utf8)
        let whole = CSVParser.parse(text)
        var parser = CSVParser()
        var rows: [CSVRow] = []
        for byte in text { parser.feed([byte]) { rows.append($0) } }
        parser.finish { rows.append($0) }
        #expect(rows == whole)
        #expect(whole.count == 3)
        #expect(whole[2].fields == ["d\r\ne", "f"])
    }

    @Test("malformed rows say why, and the rows after them still parse")
    func malformed() {
        let rows = CSVParser.parse(Array("a,\"b\"x,c\nok,1,2\n\"open".utf8))
        #expect(rows[0].error?.contains("after a closing quote") == true)
        #expect(rows[1].error == nil && rows[1].fields == ["ok", "1", "2"])
        #expect(rows[2].error?.contains("not closed") == true)
        let binary = CSVParser.parse([0x61, 0x2C, 0xFF, 0xFE, 0x0A])
        #expect(binary[0].error?.contains("UTF-8") == true)
    }

    @Test("the writer quotes only what needs it, and what it writes parses back")
    func writer() {
        let fields: [String?] = ["plain", "with,comma", "with \"quote\"", "line\nbreak", nil, "津港拖1号", " padded "]
        let line = CSVWriter.row(fields)
        #expect(line.hasPrefix("plain,\"with,comma\",\"with \"\"quote\"\"\""))
        #expect(line.hasSuffix("\r\n"))
        let parsed = CSVParser.parse(Array(line.utf8))
        #expect(parsed.first?.fields == fields.map { $0 ?? "" })
    }
}

@Suite("Flat JSON records")
struct FlatJSONTests {
    @Test("strings, numbers, booleans and null; escapes and surrogate pairs")
    func values() throws {
        let object = try FlatJSON.parseObject(Array(#"{"a":"x\"y\\z\u00e9\ud83d\udea2","n":-12.5e3,"t":true,"z":null,"c":"津"}"#.utf8))
        #expect(object == ["a": "x\"y\\zé🚢", "n": "-12.5e3", "t": "true", "c": "津"])
    }

    @Test("a nested value is refused naming its key; nesting depth cannot crash the parser")
    func nested() {
        #expect(throws: FieldIssue(field: "remarks", reason: "expected a string or number, got an object")) {
            try FlatJSON.parseObject(Array(#"{"remarks":{"a":1}}"#.utf8))
        }
        let deep = "{\"x\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(throws: FieldIssue.self) { try FlatJSON.parseObject(Array(deep.utf8)) }
        let deepArray = "[" + String(repeating: "[", count: 100_000)
        #expect(throws: FieldIssue.self) { try FlatJSON.parseDocument(Array(deepArray.utf8)) }
    }

    @Test("an empty key is refused as such, so no issue names an empty field (found by bench/faults)", arguments: [
        #"{"":{"a":1}}"#, #"{"":"a","":"b"}"#, #"{"":"x"}"#, #"{"a":"1","":1}"#, #"[{"":"x"}]"#,
    ])
    func emptyKey(text: String) throws {
        let issue: FieldIssue?
        if text.hasPrefix("[") {
            // In an array, the element is refused and the others would go on.
            guard case .failure(let refused) = try FlatJSON.parseDocument(Array(text.utf8)).first else {
                Issue.record("accepted \(text)")
                return
            }
            issue = refused
        } else {
            issue = #expect(throws: FieldIssue.self) { try FlatJSON.parseObject(Array(text.utf8)) }
        }
        #expect(issue?.field == "record" && issue?.reason.contains("an empty key") == true, "\(String(describing: issue))")
    }

    @Test("syntax errors, duplicate keys and trailing text are refused", arguments: [
        #"{"a":"b""#, #"{"a" "b"}"#, #"{"a":"b"} x"#, #"{"a":1,"a":2}"#, #"{"a":01x}"#, "{\"a\":\"\u{1}\"}", #"{"a":tru}"#, "",
    ])
    func refused(text: String) {
        #expect(throws: FieldIssue.self) { try FlatJSON.parseObject(Array(text.utf8)) }
    }

    @Test("a key repeated anywhere later is refused naming it; distinct keys never are", arguments: Voyage.fieldNames + ["x", "津港"])
    func repeatedKey(name: String) throws {
        let names = Voyage.fieldNames + ["x", "津港", "xx", "remark", "remarkss"]
        let all = names.map { "\"\($0)\":\"v\"" }
        #expect(try FlatJSON.parseObject(Array(("{" + all.joined(separator: ",") + "}").utf8)).count == names.count)
        for at in [0, names.count / 2, names.count] {
            var keys = all
            keys.insert("\"\(name)\":\"again\"", at: at)
            #expect(throws: FieldIssue(field: name, reason: "appears twice")) {
                try FlatJSON.parseObject(Array(("{" + keys.joined(separator: ",") + "}").utf8))
            }
        }
    }

    @Test("a document is one object or an array; a bad element does not hide the others")
    func document() throws {
        let results = try FlatJSON.parseDocument(Array(#"[{"a":"1"}, {"b":[1]}, {"c":"3"}]"#.utf8))
        #expect(results.count == 3)
        #expect(try results[0].get() == ["a": "1"])
        #expect(throws: FieldIssue.self) { try results[1].get() }
        #expect(try results[2].get() == ["c": "3"])
        #expect(try FlatJSON.parseDocument(Array(#" {"a":"1"} "#.utf8)).count == 1)
        #expect(throws: FieldIssue.self) { try FlatJSON.parseDocument(Array(#"[{"a":"1"}"#.utf8)) }
    }
}

@Suite("Record reader")
struct RecordReaderTests {
    func read(_ format: RecordFormat, _ text: String) -> ([RawRecord], [RecordIssue], RecordIssue?) {
        var reader = RecordReader(format: format, allowedFields: Voyage.fieldNames, requiredFields: Voyage.requiredFieldNames)
        var records: [RawRecord] = [], issues: [RecordIssue] = []
        let sink: (Result<RawRecord, RecordIssue>) -> Void = { result in
            switch result {
            case .success(let r): records.append(r)
            case .failure(let i): issues.append(i)
            }
        }
        reader.feed(Array(text.utf8), sink)
        reader.finish(sink)
        return (records, issues, reader.headerIssue)
    }

    @Test("NDJSON line numbers are file lines: blank lines count, CRLF and a BOM are fine")
    func ndjsonLines() {
        let text = "\u{FEFF}{\"movementId\":\"a\"}\r\n\n{\"movementId\":\"b\"}\nnot json\n{\"movementId\":\"c\"}"
        let (records, issues, _) = read(.ndjson, text)
        #expect(records.map(\.line) == [1, 3, 5])
        #expect(records.map { $0.fields["movementId"] } == ["a", "b", "c"])
        #expect(issues.map(\.line) == [4])
    }

    @Test("CSV rows are numbered after the header; empty cells are absent; a short row is refused")
    func csvRows() {
        let header = Voyage.fieldNames.joined(separator: ",")
        let row = "M1,op1,412000001,escort,2026-03-02T08:00:00+08:00,n1,,2026-03-02T09:00:00+08:00,n2,,,,,"
        let (records, issues, headerIssue) = read(.csv, header + "\n" + row + "\nM2,op1\n" + row)
        #expect(headerIssue == nil)
        #expect(records.map(\.line) == [1, 3])
        #expect(records[0].fields["fromBerth"] == nil)
        #expect(issues == [RecordIssue(line: 2, field: "record", reason: "has 2 fields, the header has 14")])
    }

    @Test("CSV rows leaving different columns empty, in any order, each hold exactly their non-empty cells")
    func csvEmptyPatterns() {
        var rng = SeededGenerator(seed: 20261127)
        let columns = Voyage.fieldNames
        let rows: [[String: String]] = (0..<300).map { row in
            // Runs of rows with one pattern, then another: the reader keeps the last pattern's names.
            let pattern = row / Int.random(in: 1...4, using: &rng)
            var cells: [String: String] = [:]
            for (column, name) in columns.enumerated() where (pattern + column) % 3 != 0 || Bool.random(using: &rng) {
                cells[name] = "\(name)-\(row)"
            }
            return cells
        }
        let text = ([columns.joined(separator: ",")] + rows.map { cells in columns.map { cells[$0] ?? "" }.joined(separator: ",") })
            .joined(separator: "\n")
        let (records, issues, headerIssue) = read(.csv, text)
        #expect(headerIssue == nil && issues.isEmpty)
        #expect(records.map(\.fields) == rows.map { RecordFields($0) })
        #expect(records.map(\.fields.dictionary) == rows)
    }

    @Test("a CSV header with an unknown or missing column is refused as a whole")
    func csvHeader() {
        #expect(read(.csv, "movementId,operator,bogus\n").2?.field == "bogus")
        #expect(read(.csv, "movementId,operator\n").2?.reason.contains("no column") == true)
        #expect(read(.csv, "").2?.field == "header")
    }
}

@Suite("record fields")
struct RecordFieldsTests {
    /// Names that share byte lengths (the scan compares lengths first), and some that do not.
    static let names = ["movementId", "departedAt", "operator", "fromArea", "mmsi", "job", "toBerth", "remarks", "津港", "x"]

    @Test("random sets and removals agree with a dictionary, and equality ignores order")
    func agreesWithDictionary() {
        var rng = SeededGenerator(seed: 20261127)
        for _ in 0..<200 {
            var fields = RecordFields()
            var reference: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...30, using: &rng) {
                let name = Self.names.randomElement(using: &rng)!
                let value: String? = Bool.random(using: &rng) ? nil : String(Int.random(in: 0...99, using: &rng))
                fields[name] = value
                reference[name] = value
            }
            #expect(fields.count == reference.count)
            #expect(fields.dictionary == reference)
            for name in Self.names { #expect(fields[name] == reference[name] && fields.contains(name) == (reference[name] != nil)) }
            for name in Self.names {
                for hint in 0...fields.count + 1 {
                    let found = fields.position(of: name, hint: hint)
                    #expect(found.map(fields.value(at:)) == reference[name] && found.map { fields.fieldNames[$0] == name } != false)
                }
            }
            #expect(fields == RecordFields(reference))
            if let name = reference.keys.first {
                var changed = fields
                changed[name] = reference[name]! + "!"
                #expect(changed != fields)
                changed[name] = nil
                #expect(changed != fields && changed.count == fields.count - 1)
            }
        }
    }

    @Test("a name set holds exactly its names, including one longer than any of them")
    func nameSet() {
        let set = FieldNameSet(Array(Self.names.prefix(6)))
        for name in Self.names + ["", "movementIdentifier", "Mmsi", "depardedAt"] {
            #expect(set.contains(name) == Self.names.prefix(6).contains(name), "\(name)")
        }
    }

    @Test("a name set of many names, sharing slots, holds exactly its names")
    func crowdedNameSet() {
        var rng = SeededGenerator(seed: 20261127)
        let letters = Array("abcdeAB津".unicodeScalars)
        func word() -> String {
            String(String.UnicodeScalarView((0..<Int.random(in: 1...6, using: &rng)).map { _ in letters.randomElement(using: &rng)! }))
        }
        for _ in 0..<50 {
            let names = Array(Set((0..<Int.random(in: 1...120, using: &rng)).map { _ in word() }))
            let set = FieldNameSet(names)
            for probe in names + (0..<200).map({ _ in word() }) {
                #expect(set.contains(probe) == names.contains(probe), "\(probe) in \(names)")
            }
        }
    }
}
