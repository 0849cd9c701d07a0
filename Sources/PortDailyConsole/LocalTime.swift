import Foundation
import PortDailyCore

/// Instants as the people of the port read them: in the configured time zone, to the minute.
struct LocalTime: Sendable {
    let calendar: Calendar

    init(_ zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    func format(_ instant: Instant) -> String {
        let date = Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    func format(_ instant: Instant?) -> String { instant.map(format) ?? "" }
}
