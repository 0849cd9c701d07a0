/// Who a request comes from, as the authentication in front of a route established it.
public enum Principal: Sendable, Equatable {
    /// No credentials (or none needed).
    case anonymous
    /// A loopback client that the configuration trusts for the metrics (`http.metricsFromLoopback`).
    case trustedLoopback
    /// The holder of a valid token.
    case caller(Caller)
}

/// What a route does, as the scope policy judges it. Every route names exactly one.
public enum Action: String, Sendable, CaseIterable {
    case readHealth
    case readAPIDocument
    case readMetrics
    case submitVoyages
    case listVoyages
    case cancelVoyages
    case readReports
    case acknowledgeReports
    case readRegister
    case changeRegister
    case readFigures
    /// Read the audit trail (who made each write): admins only.
    case readAudit
    /// Read the AIS cross-check's discrepancies and coverage (each role within its scope).
    case readAISCheck
    /// The console's sign-in page, its assets and its redirects: open to anyone.
    case openConsole
    /// Ending one's own console session.
    case signOut
    /// The console's register, users, tokens and store status page.
    case administer

    /// What a refused caller is told it cannot do ("a bureau token cannot …").
    public var refusal: String {
        switch self {
        case .readHealth: return "read the health"
        case .readAPIDocument: return "read the API document"
        case .readMetrics: return "read metrics"
        case .submitVoyages: return "submit voyages"
        case .listVoyages: return "list voyages; bureaus read the reports shared with them"
        case .cancelVoyages: return "cancel voyages"
        case .readReports: return "read reports"
        case .acknowledgeReports: return "acknowledge reports; only bureaus do"
        case .readRegister: return "read the register"
        case .changeRegister: return "change the register"
        case .readFigures: return "read figures"
        case .readAudit: return "read the audit trail"
        case .readAISCheck: return "read the AIS check"
        case .openConsole: return "open the console"
        case .signOut: return "sign out"
        case .administer: return "open the administration pages"
        }
    }
}

/// The one place that decides what each role may read and write: an operator its own vessels,
/// voyages and reports; a bureau the reports shared with it and its acknowledgements (and the
/// register, to know the vessels); an admin everything. Routes get a ``Scope`` from here and ask
/// it for their filters; they never look at the role themselves.
public enum ScopePolicy {
    /// Whether `principal` may do `action` at all.
    public static func permits(_ principal: Principal, _ action: Action) -> Bool {
        switch (action, principal) {
        case (.readHealth, _), (.readAPIDocument, _), (.openConsole, _): return true
        case (.readMetrics, .trustedLoopback), (.readMetrics, .caller(.admin)): return true
        case (.readMetrics, _): return false
        case (_, .anonymous), (_, .trustedLoopback): return false
        case (_, .caller(let caller)): return permits(caller, action)
        }
    }

    static func permits(_ caller: Caller, _ action: Action) -> Bool {
        switch (action, caller) {
        case (.readHealth, _), (.readAPIDocument, _), (.readReports, _), (.readRegister, _), (.readFigures, _): return true
        case (.readAISCheck, _): return true
        case (.openConsole, _), (.signOut, _): return true
        case (.readMetrics, .admin), (.changeRegister, .admin), (.administer, .admin), (.readAudit, .admin): return true
        case (.readMetrics, _), (.changeRegister, _), (.administer, _), (.readAudit, _): return false
        case (.submitVoyages, .bureau), (.listVoyages, .bureau), (.cancelVoyages, .bureau): return false
        case (.submitVoyages, _), (.listVoyages, _), (.cancelVoyages, _): return true
        case (.acknowledgeReports, .bureau): return true
        case (.acknowledgeReports, _): return false
        }
    }

    /// The scope of `action` for `principal`, or why not: `.unauthenticated` when it needs a
    /// token and has none, `.forbidden` when the role may not do it.
    public static func scope(_ principal: Principal, _ action: Action) -> Result<Scope, ScopeRefusal> {
        guard permits(principal, action) else {
            if case .caller(let caller) = principal { return .failure(.forbidden(caller, action)) }
            return .failure(.unauthenticated(action))
        }
        if case .caller(let caller) = principal { return .success(Scope(caller: caller, action: action)) }
        return .success(Scope(caller: nil, action: action))
    }
}

/// Why the policy refused.
public enum ScopeRefusal: Error, Sendable, Equatable {
    case unauthenticated(Action)
    case forbidden(Caller, Action)
}

/// One permitted action of one caller: the filters its reads and writes are held to. Only
/// ``ScopePolicy`` makes one.
public struct Scope: Sendable, Equatable {
    /// Nil for the actions that need no token.
    public let caller: Caller?
    public let action: Action

    fileprivate init(caller: Caller?, action: Action) {
        self.caller = caller
        self.action = action
    }

    /// The operator whose voyages or vessels are read: an operator's own, whatever it asked for;
    /// for the others the one asked for (nil: all).
    public func operatorFilter(requested: String?) -> String? {
        if case .operator(let id) = caller { return id }
        return requested
    }

    /// The bureau whose shared reports or waters are read: a bureau's own, whatever it asked for;
    /// for the others the one asked for (nil: all).
    public func bureauFilter(requested: String?) -> String? {
        if case .bureau(let id) = caller { return id }
        return requested
    }

    /// The reports read: a bureau those shared with it, an operator its vessels' (other filters
    /// asked for are ignored), an admin those it asks for.
    public func reportFilter(requestedBureau: String?, requestedOperator: String?) -> (bureau: String?, operatorID: String?) {
        switch caller {
        case .bureau(let id): return (id, nil)
        case .operator(let id): return (nil, id)
        case .admin, nil: return (requestedBureau, requestedOperator)
        }
    }

    /// Whether one revision of a report is within the scope.
    public func canSee(_ report: Report) -> Bool {
        switch caller {
        case .admin: return true
        case .operator(let id): return report.operator == id
        case .bureau(let id): return report.sharedWith.contains(id)
        case nil: return false
        }
    }

    /// Whether a vessel-day's AIS check is within the scope: an operator's own vessels'; a
    /// bureau's when the vessel's report of the day is filed with it (its home bureau) or shared
    /// with it, or its track lay in its waters.
    public func canSeeAISDay(operator owner: String?, sharedWith: [String], touched: [String]) -> Bool {
        switch caller {
        case .admin: return true
        case .operator(let id): return owner == id
        case .bureau(let id): return sharedWith.contains(id) || touched.contains(id)
        case nil: return false
        }
    }

    /// The operator a submission must be filed for: an operator's own; nil (any) for an admin.
    public var submitter: String? {
        if case .operator(let id) = caller { return id }
        return nil
    }

    /// The bureau that acknowledges (only bureaus are permitted to).
    public var acknowledgingBureau: String? {
        if case .bureau(let id) = caller { return id }
        return nil
    }

    /// How the journal names who did it: the operator's id, else the role.
    public var actorLabel: String {
        switch caller {
        case .operator(let id): return id
        case let other?: return other.role
        case nil: return "anonymous"
        }
    }
}
