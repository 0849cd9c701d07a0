/// Who is asking, as established by a valid token; each role sees only its own scope.
public enum Caller: Sendable, Equatable, CustomStringConvertible {
    /// A vessel operator: submits and reads its own vessels' voyages and reports.
    case `operator`(String)
    /// A maritime bureau: reads what is shared with it and the register; acknowledges reports.
    case bureau(String)
    /// The administration: everything, including the register and tokens.
    case admin

    public var role: String {
        switch self {
        case .operator: return "operator"
        case .bureau: return "bureau"
        case .admin: return "admin"
        }
    }

    public var description: String {
        switch self {
        case .operator(let id): return "operator \(id)"
        case .bureau(let id): return "bureau \(id)"
        case .admin: return "admin"
        }
    }
}
