import PortDailyCore

/// Names, operators and jobs that make simulated data look like a real port's.
enum Fleet {
    /// Tugs dominate an in-port service fleet; the other types share the rest.
    static func type(for index: Int, among types: [String], using rng: inout SeededGenerator) -> String {
        guard types.contains("tug"), types.count > 1 else { return types[index % types.count] }
        if Double.random(in: 0..<1, using: &rng) < 0.6 { return "tug" }
        let others = types.filter { $0 != "tug" }
        return others[Int.random(in: 0..<others.count, using: &rng)]
    }

    static func operatorID(type: String, index: Int) -> String {
        switch type {
        case "tug": return index % 5 == 4 ? "bohai-towage" : "tianjin-port-tug"
        case "bunkering": return "binhai-bunker"
        case "water-supply": return "jinwan-water"
        case "oily-waste-reception", "garbage-reception": return "haihe-environmental"
        default: return "\(type)-services"
        }
    }

    static func name(type: String, number: Int) -> String {
        switch type {
        case "tug": return "津港拖\(number)"
        case "bunkering": return "渤海油\(number)"
        case "water-supply": return "津供水\(number)"
        case "oily-waste-reception": return "津环保油\(number)"
        case "garbage-reception": return "津环保\(number)"
        default: return "作业船\(number)"
        }
    }

    static func job(type: String, using rng: inout SeededGenerator) -> Job {
        switch type {
        case "tug":
            let roll = Int.random(in: 0..<100, using: &rng)
            switch roll {
            case 0..<38: return .berthingAssist
            case 38..<74: return .unberthingAssist
            case 74..<84: return .escort
            case 84..<90: return .pilotTransfer
            case 90..<96: return .shifting
            case 96..<99: return .standby
            default: return .emergency
            }
        case "bunkering": return .bunkering
        case "water-supply": return .waterSupply
        case "oily-waste-reception": return .oilyWasteReception
        case "garbage-reception": return .garbageReception
        default: return .other
        }
    }

    /// A seven-digit IMO number with a correct check digit, from a six-digit stem.
    static func imo(_ stem: Int, using rng: inout SeededGenerator) -> IMONumber {
        let six = String(stem % 900_000 + 100_000)
        let digits = six.utf8.map { Int($0 - 48) }
        let check = (0..<6).reduce(0) { $0 + digits[$1] * (7 - $1) } % 10
        return IMONumber(six + String(check))!
    }

    static let merchantPrefixes = ["COSCO", "CSCL", "MAERSK", "MSC", "EVER", "ZHONG GU", "HAI YANG", "TIAN JIN"]
    static let merchantSuffixes = ["STAR", "HARMONY", "FORTUNE", "PIONEER", "GLORY", "SPIRIT", "VENTURE", "OCEAN"]

    static func merchantName(using rng: inout SeededGenerator) -> String {
        let prefix = merchantPrefixes[Int.random(in: 0..<merchantPrefixes.count, using: &rng)]
        let suffix = merchantSuffixes[Int.random(in: 0..<merchantSuffixes.count, using: &rng)]
        return "\(prefix) \(suffix) \(Int.random(in: 1...99, using: &rng))"
    }
}
