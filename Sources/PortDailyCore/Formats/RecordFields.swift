/// A record's fields as named text, in input order, each name at most once.
///
/// A record has a dozen fields, read a few times each: finding a name by a scan that compares
/// byte lengths first costs less than hashing it, which is what a `[String: String]` did for
/// every field parsed and every field read (a sixth of a bulk import's reading thread).
public struct RecordFields: Sendable, Equatable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private var names: [String] = []
    private var values: [String] = []

    public init() {}

    public init(minimumCapacity: Int) {
        names.reserveCapacity(minimumCapacity)
        values.reserveCapacity(minimumCapacity)
    }

    /// Fields with these names and values, in this order (names unique, as many as values).
    init(names: [String], values: [String]) {
        precondition(names.count == values.count)
        self.names = names
        self.values = values
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
    public var dictionary: [String: String] { Dictionary(uniqueKeysWithValues: zip(names, values)) }

    /// A field's value; nil when absent. Setting nil removes the field; setting a value replaces
    /// the field's value in place, or adds the field at the end.
    public subscript(name: String) -> String? {
        get { position(of: name).map { values[$0] } }
        set {
            switch (position(of: name), newValue) {
            case (let index?, let value?): values[index] = value
            case (let index?, nil): names.remove(at: index); values.remove(at: index)
            case (nil, let value?): append(name, value)
            case (nil, nil): break
            }
        }
    }

    /// Adds a field the caller knows is not there yet (a parser that checked, a header without repeats).
    public mutating func append(_ name: String, _ value: String) {
        names.append(name)
        values.append(value)
    }

    /// Whether the record has the field.
    public func contains(_ name: String) -> Bool { position(of: name) != nil }

    /// A field's value and position, looking first at position `hint`: a reader that asks for
    /// the fields in the order a record usually lists them finds each with one comparison.
    public func value(of name: String, hint: Int) -> (value: String, position: Int)? {
        if hint < names.count, names[hint] == name { return (values[hint], hint) }
        return position(of: name).map { (values[$0], $0) }
    }

    private func position(of name: String) -> Int? {
        let length = name.utf8.count
        for index in names.indices where names[index].utf8.count == length && names[index] == name { return index }
        return nil
    }

    /// The same fields whatever their order.
    public static func == (lhs: RecordFields, rhs: RecordFields) -> Bool {
        lhs.count == rhs.count && lhs.names.indices.allSatisfy { rhs[lhs.names[$0]] == lhs.values[$0] }
    }

    public var description: String {
        "[" + zip(names, values).map { "\($0): \($1)" }.joined(separator: ", ") + "]"
    }
}

/// A fixed set of field names, looked up by byte length first (see ``RecordFields``).
public struct FieldNameSet: Sendable {
    private let byLength: [[String]]

    public init(_ names: [String]) {
        var byLength: [[String]] = Array(repeating: [], count: (names.map(\.utf8.count).max() ?? 0) + 1)
        for name in names { byLength[name.utf8.count].append(name) }
        self.byLength = byLength
    }

    public func contains(_ name: String) -> Bool {
        let length = name.utf8.count
        return length < byLength.count && byLength[length].contains(name)
    }
}
