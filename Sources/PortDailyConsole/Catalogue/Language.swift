/// The console's languages. Each has one catalogue file (`Catalogue+<code>.swift`) filling every
/// string of ``Strings``, so the compiler refuses a catalogue that misses one.
enum Language: String, CaseIterable, Sendable {
    case zh
    case en

    var strings: Strings {
        switch self {
        case .zh: return .zh
        case .en: return .en
        }
    }

    /// The value of the page's `lang` attribute.
    var tag: String { self == .zh ? "zh-CN" : "en" }

    /// The language to show: the `lang` cookie (set by the switch on every page), else the first
    /// language of `Accept-Language` the console has (by quality, then order), else Chinese.
    static func chosen(cookie: String?, acceptLanguage: String?) -> Language {
        if let cookie, let language = Language(rawValue: cookie) { return language }
        guard let acceptLanguage else { return .zh }
        var best: (quality: Double, index: Int, language: Language)?
        for (index, item) in acceptLanguage.split(separator: ",").enumerated() {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let range = parts.first?.lowercased(), !range.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") { quality = Double(parameter.dropFirst(2)) ?? 0 }
            guard quality > 0 else { continue }
            let primary = range.split(separator: "-").first.map(String.init) ?? range
            guard let language = Language(rawValue: primary) else { continue }
            if best == nil || quality > best!.quality { best = (quality, index, language) }
        }
        return best?.language ?? .zh
    }
}

/// Every text the console shows, in one language.
struct Strings: Sendable {
    // The frame
    let appName: String
    let navReports: String
    let navFigures: String
    let navUpload: String
    let navAdmin: String
    let signOut: String
    let signedInAs: String
    let switchLanguage: String
    let otherLanguageName: String
    let skipToContent: String
    // Sign-in
    let signInTitle: String
    let userName: String
    let password: String
    let signIn: String
    let signInFailed: String
    let signInLimited: String
    let signedOut: String
    let sessionEnded: String
    // Reports of a day
    let reportsTitle: String
    let date: String
    let show: String
    let previousDay: String
    let nextDay: String
    let filterVessel: String
    let downloadCSV: String
    let countReports: String
    let countLate: String
    let countUnacknowledged: String
    let vessel: String
    let mmsi: String
    let type: String
    let operatorLabel: String
    let homeBureau: String
    let voyages: String
    let crossJurisdiction: String
    let areas: String
    let revision: String
    let acknowledged: String
    let badgeLate: String
    let badgeWithdrawn: String
    let badgeNoLongerShared: String
    let badgeAcknowledged: String
    let badgeNotAcknowledged: String
    let noReports: String
    // One report
    let reportTitle: String
    let departed: String
    let arrived: String
    let from: String
    let to: String
    let job: String
    let berth: String
    let servedShip: String
    let personsAboard: String
    let remarks: String
    let revisions: String
    let recordedAt: String
    let changes: String
    let changeAdded: String
    let changeCorrected: String
    let changeWithdrawn: String
    let sealed: String
    let acknowledgements: String
    let bureau: String
    let remark: String
    let acknowledge: String
    let acknowledgedNotice: String
    let noAcknowledgements: String
    let noVoyages: String
    let viewingRevision: String
    let latest: String
    // The AIS check
    let aisTitle: String
    let aisFlaggedReports: String
    let aisAdvice: String
    let aisNoPositions: String
    let aisCoverage: String
    let aisConfirmed: String
    let aisNoCoverage: String
    let aisDiscrepancies: String
    let aisNoDiscrepancies: String
    let aisKindUnreported: String
    let aisKindUnconfirmed: String
    let aisKindAreaMismatch: String
    let aisSharingWrong: String
    let aisAtSea: String
    let aisBadge: String
    // Figures
    let figuresTitle: String
    let fromDate: String
    let toDate: String
    let allOperators: String
    let allBureaus: String
    let allTypes: String
    let reportsPerVoyageRegime: String
    let reportsDailyPerBureauRegime: String
    let reportsConsolidatedRegime: String
    let reduction: String
    let crossJurisdictionVoyages: String
    let fuelSavedTonnes: String
    let moneySaved: String
    let vesselHoursFreed: String
    let equivalentVessels: String
    let chartReports: String
    let chartCrossJurisdiction: String
    let chartFuel: String
    let perVoyage: String
    let dailyPerBureau: String
    let consolidated: String
    let tonnes: String
    let day: String
    // Upload
    let uploadTitle: String
    let uploadHelp: String
    let file: String
    let upload: String
    let downloadTemplate: String
    let uploadResult: String
    let accepted: String
    let duplicates: String
    let corrected: String
    let rejected: String
    let notCommitted: String
    let line: String
    let field: String
    let reason: String
    let refusedLines: String
    let refusedLinesNote: String
    let submittedToday: String
    let movementId: String
    let cancel: String
    let cancelReason: String
    let cancelled: String
    let cancelledNotice: String
    let noVoyagesToday: String
    // Administration
    let adminTitle: String
    let register: String
    let admittedFrom: String
    let admittedUntil: String
    let users: String
    let role: String
    let scope: String
    let createdAt: String
    let lastSignIn: String
    let disabled: String
    let openSessions: String
    let tokens: String
    let tokenName: String
    let revoked: String
    let expires: String
    let never: String
    let lastUsed: String
    let storeStatus: String
    let voyagesToday: String
    let openDays: String
    let sealedThrough: String
    let lastSealRun: String
    let outage: String
    let none: String
    let yes: String
    let no: String
    // Errors
    let errorTitle: String
    let forbidden: String
    let notFound: String
    let backToReports: String
}
