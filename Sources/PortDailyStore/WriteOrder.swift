import Foundation
import PortDailyCore

/// The order a long batch is written in: that of the voyage table's (operator, movementId) index,
/// so that the index (which every insert probes) is walked forwards, page after page, however the
/// feed was ordered. A feed in departure order or shuffled otherwise sends each insert to another
/// page of it: 2.3 s against 1.5 s for 179,309 voyages of 10,000 vessels (bench/RESULTS.md).
///
/// Records with the same key keep their order in the batch, so a resend later in the feed still
/// corrects the one before it.
enum WriteOrder {
    /// Shorter batches are written as they come: the sort would cost more than it saves.
    static let minimumCount = 256

    /// The batch's positions in writing order, or nil when it is written as it comes (short, or in
    /// that order already: the bulk import sorts its batches on its reading thread).
    static func positions(_ batch: [ValidatedVoyage]) -> [Int]? {
        guard batch.count >= minimumCount else { return nil }
        // Operators are few: each is ranked once, so most comparisons are of one integer and the movement ids.
        var ranks: [String: Int] = [:]
        for item in batch where ranks[item.voyage.operator] == nil { ranks[item.voyage.operator] = 0 }
        for (rank, name) in ranks.keys.sorted(by: precedes).enumerated() { ranks[name] = rank }
        let keys = batch.map { (rank: ranks[$0.voyage.operator]!, movementId: $0.voyage.movementId) }
        func before(_ x: (rank: Int, movementId: String), _ y: (rank: Int, movementId: String)) -> Bool {
            x.rank != y.rank ? x.rank < y.rank : precedes(x.movementId, y.movementId)
        }
        if zip(keys, keys.dropFirst()).allSatisfy({ !before($1, $0) }) { return nil }
        // Equal keys keep their order: the sort is stable.
        return batch.indices.sorted { before(keys[$0], keys[$1]) }
    }

    /// Whether the batch comes vessel by vessel, each in departure order (a feed grouped by
    /// vessel): written as it comes, it appends to each vessel's part of the (mmsi, reportDate)
    /// index already, and sorting it cost the reading thread n log n comparisons of strings for
    /// little (a month of 10,000 vessels grouped: 11.1-11.7 s sorted, 7.9-9.9 s before sorting).
    static func inVesselOrder(_ batch: [ValidatedVoyage]) -> Bool {
        batch.indices.dropFirst().allSatisfy { index in
            let (a, b) = (batch[index - 1].voyage, batch[index].voyage)
            return a.mmsi != b.mmsi ? a.mmsi < b.mmsi : a.departedAt <= b.departedAt
        }
    }

    /// SQLite's BINARY collation: the UTF-8 bytes compared (Swift's `<` compares by Unicode rules).
    static func precedes(_ a: String, _ b: String) -> Bool {
        var (a, b) = (a, b)
        return a.withUTF8 { x in b.withUTF8 { y in
            let common = min(x.count, y.count)
            if common > 0, let base = x.baseAddress, let other = y.baseAddress {
                let order = memcmp(base, other, common)
                if order != 0 { return order < 0 }
            }
            return x.count < y.count
        } }
    }
}
