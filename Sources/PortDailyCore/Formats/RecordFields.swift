/// A record's fields as named text, in input order, each name at most once.
///
/// The values are kept as their UTF-8 bytes, end to end in one buffer, and read in place: a
/// validator parses a time, a number or an identifier straight from the bytes, and makes text
/// only of the values it keeps. (A `String` per value cost a bulk import more than its parse.)
/// A reader that refills one `RecordFields` per record reuses its buffers: a record costs no
/// allocation when nothing keeps it. Names are found by a scan that compares byte lengths first,
/// which costs less than hashing them.
public struct RecordFields: Sendable, Equatable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private var names: [String] = []
    /// The values' bytes, valid UTF-8; value `i` ends at `ends[i]` and starts where value `i - 1` ends.
    private var text: [UInt8] = []
    private var ends: [Int] = []
    /// Set by a parser that found every name in a name set: those names (see ``FieldNameSet/names``),
    /// so a validator with the same set need not look the names up again.
    private(set) var allNamesIn: [String]?

    public init() {}

    public init(minimumCapacity: Int) {
        names.reserveCapacity(minimumCapacity)
        ends.reserveCapacity(minimumCapacity)
    }

    public init(_ dictionary: [String: String]) {
        self.init(minimumCapacity: dictionary.count)
        for (name, value) in dictionary.sorted(by: { $0.key < $1.key }) { append(name, value) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(minimumCapacity: elements.count)
        for (name, value) in elements { self[name] = value }
    }

    public var count: Int { names.count }
    /// The names, in input order.
    public var fieldNames: [String] { names }
    /// The fields by name.
    public var dictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: names.indices.map { (names[$0], value(at: $0)) })
    }

    /// A field's value; nil when absent. Setting nil removes the field; setting a value replaces
    /// the field's value in place, or adds the field at the end.
    public subscript(name: String) -> String? {
        get { position(of: name).map(value(at:)) }
        set {
            guard let index = position(of: name) else {
                if let newValue { append(name, newValue) }
                return
            }
            var rebuilt = RecordFields(minimumCapacity: count)
            for other in names.indices {
                if other != index { rebuilt.append(names[other], value(at: other)) } else if let newValue { rebuilt.append(name, newValue) }
            }
            self = rebuilt
        }
    }

    /// Adds a field the caller knows is not there yet (a parser that checked, a header without repeats).
    public mutating func append(_ name: String, _ value: String) {
        text.append(contentsOf: value.utf8)
        endValue(named: name)
        allNamesIn = nil
    }

    /// Whether the record has the field.
    public func contains(_ name: String) -> Bool { position(of: name) != nil }

    /// A field's position, looking first at position `hint`: a reader that asks for the fields in
    /// the order a record usually lists them finds each with one comparison.
    public func position(of name: String, hint: Int) -> Int? {
        if hint < names.count, names[hint] == name { return hint }
        return position(of: name)
    }

    /// The value at a position, as text.
    public func value(at position: Int) -> String {
        withBytes(at: position) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of the value at a position, valid only during the call.
    public func withBytes<Result, Failure: Error>(at position: Int,
                                                  _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result) throws(Failure) -> Result {
        let start = position == 0 ? 0 : ends[position - 1]
        let end = ends[position]
        return try text.withUnsafeBufferPointer { (buffer) throws(Failure) -> Result in
            try body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }

    private func position(of name: String) -> Int? {
        let length = name.utf8.count
        for index in names.indices where names[index].utf8.count == length && names[index] == name { return index }
        return nil
    }

    // MARK: Filling in place (the parsers)

    /// Empties the fields, keeping the buffers for the next record.
    mutating func removeAll() {
        allNamesIn = nil
        names.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// Adds to the bytes of the value being written (valid UTF-8 once the value ends).
    mutating func appendToValue(_ bytes: UnsafeBufferPointer<UInt8>) { text.append(contentsOf: bytes) }
    mutating func appendToValue(_ bytes: some Sequence<UInt8>) { text.append(contentsOf: bytes) }

    /// Ends the value being written as the field `name`.
    mutating func endValue(named name: String) {
        names.append(name)
        ends.append(text.count)
    }

    /// Notes that every name is one of the set's (the parser looked each up, or checked the header).
    mutating func noteNames(in set: FieldNameSet) { allNamesIn = set.names }

    /// Ends the value being written, its name to come from ``setNames(_:)``.
    mutating func endUnnamedValue() { ends.append(text.count) }

    /// Names the values written, in order (a CSV header's names, shared by its rows).
    mutating func setNames(_ shared: [String]) {
        precondition(shared.count == ends.count, "one name per value")
        names = shared
    }

    // MARK: Equality and description

    /// The same fields whatever their order.
    public static func == (lhs: RecordFields, rhs: RecordFields) -> Bool {
        lhs.count == rhs.count && lhs.names.indices.allSatisfy { rhs[lhs.names[$0]] == lhs.value(at: $0) }
    }

    public var description: String {
        "[" + names.indices.map { "\(names[$0]): \(value(at: $0))" }.joined(separator: ", ") + "]"
    }
}

/// A fixed set of field names, found by a slot chosen from a name's length and end bytes and one
/// comparison of the bytes (see ``RecordFields``).
public struct FieldNameSet: Sendable {
    /// The names, in the order given.
    let names: [String]
    private let table: Table

    public init(_ names: [String]) {
        self.names = names
        table = Table(names)
    }

    /// One of 64 slots, from the length and the end bytes of a name (0 for no bytes).
    static func slot(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let first = bytes.first, let last = bytes.last else { return 0 }
        return (bytes.count &* 7 &+ Int(first) &+ Int(last)) & 63
    }

    public func contains(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { table.index(spelledBy: $0) } != nil
    }

    /// The name these UTF-8 bytes spell, if it is in the set: a parser reuses the set's text
    /// instead of making a new one for every key of every record.
    func name(spelledBy bytes: UnsafeBufferPointer<UInt8>) -> String? {
        table.index(spelledBy: bytes).map { names[$0] }
    }

    /// Whether these are exactly the set's names, in its order (the same array: one comparison).
    func hasNames(_ other: [String]) -> Bool { names == other }

    /// The names' bytes and slots in memory of their own, read through pointers: the lookup runs
    /// for every key of every record, where array bounds checks and reference counting showed.
    /// Written once in `init`, never after, so it can be shared between threads.
    private final class Table: @unchecked Sendable {
        /// The names' UTF-8 bytes end to end: name `i` is `bytes[starts[i]..<starts[i + 1]]`.
        let bytes: UnsafeMutableBufferPointer<UInt8>
        let starts: UnsafeMutableBufferPointer<Int>
        /// Per slot: the one name in it, or `none`, or `several` (then all names are compared).
        let slots: UnsafeMutableBufferPointer<Int>
        static let none = -1, several = -2

        init(_ names: [String]) {
            let spellings = names.map { Array($0.utf8) }
            bytes = .allocate(capacity: max(1, spellings.reduce(0) { $0 + $1.count }))
            starts = .allocate(capacity: names.count + 1)
            slots = .allocate(capacity: 64)
            slots.initialize(repeating: Self.none)
            var offset = 0
            for (index, spelling) in spellings.enumerated() {
                starts[index] = offset
                for byte in spelling { bytes[offset] = byte; offset += 1 }
                let slot = spelling.withUnsafeBufferPointer(FieldNameSet.slot)
                slots[slot] = slots[slot] == Self.none ? index : Self.several
            }
            starts[names.count] = offset
        }

        deinit {
            bytes.deallocate()
            starts.deallocate()
            slots.deallocate()
        }

        func index(spelledBy candidate: UnsafeBufferPointer<UInt8>) -> Int? {
            switch slots[FieldNameSet.slot(candidate)] {
            case Self.none: return nil
            case Self.several: return (0..<(starts.count - 1)).first { spells($0, candidate) }
            case let index: return spells(index, candidate) ? index : nil
            }
        }

        private func spells(_ index: Int, _ candidate: UnsafeBufferPointer<UInt8>) -> Bool {
            let start = starts[index]
            guard starts[index + 1] - start == candidate.count else { return false }
            for offset in 0..<candidate.count where bytes[start + offset] != candidate[offset] { return false }
            return true
        }
    }
}
