import Foundation
import PortDailyCore

/// The order a long batch is written in: vessel by vessel, each in departure order, as the voyage
/// table's (mmsi, reportDate) index holds them. Written so, the batch's entries go into that index
/// in one forward sweep, a run of them per vessel, however the feed was ordered. The other index,
/// (operator, movementId), takes them in whatever order the movement ids come: a dispatch system
/// numbers its movements as they happen, so a batch's ids lie together at the end of each
/// operator's part of it. Sorting by that key instead left the vessel index with an insert at a
/// random place each time: 1.36 s against 1.17 s of writing for 179,309 voyages of 10,000 vessels
/// in departure order (bench/RESULTS.md, session 17).
///
/// A voyage sent twice in one batch keeps its order, however its copies differ (a later one may
/// move it to another vessel or time): every copy sorts where the first one does, and a later
/// line still corrects the one before it.
enum WriteOrder {
    /// Shorter batches are written as they come: the sort would cost more than it saves.
    static let minimumCount = 256

    /// The batch's positions in writing order, or nil when it is written as it comes (short, or in
    /// that order already: the bulk import sorts its batches on its reading thread). A caller
    /// that has checked ``inVesselOrder(_:)`` already passes what it found.
    static func positions(_ batch: [ValidatedVoyage], inVesselOrder known: Bool? = nil) -> [Int]? {
        guard batch.count >= minimumCount, !(known ?? inVesselOrder(batch)) else { return nil }
        return sorted(batch)
    }

    /// The batch's positions in writing order.
    private static func sorted(_ batch: [ValidatedVoyage]) -> [Int] {
        // Compared as two integers: comparing the MMSIs' text cost the reading thread four times as much.
        var keys = batch.map { Place(vessel: vesselNumber($0.voyage.mmsi), departure: $0.voyage.departedAt.millisecondsSinceEpoch) }
        // Copies found by a hash of their key: hashing the two texts as Swift does took 70 % of
        // the sort's time. Two keys that collide only sort together, which stores the same.
        var first: [UInt64: Int] = [:]
        first.reserveCapacity(batch.count)
        for index in batch.indices {
            let hash = keyHash(batch[index].voyage)
            if let earlier = first[hash] { keys[index] = keys[earlier] } else { first[hash] = index }
        }
        // Ties keep the batch's order (the position decides them), so copies stay in theirs.
        return batch.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
    }

    /// Whether the batch comes vessel by vessel, each in departure order (a feed grouped by
    /// vessel): written as it comes, it appends to each vessel's part of the (mmsi, reportDate)
    /// index already, and sorting it cost the reading thread n log n comparisons for little (a
    /// month of 10,000 vessels grouped: 11.1-11.7 s sorted, 7.9-9.9 s before sorting).
    static func inVesselOrder(_ batch: [ValidatedVoyage]) -> Bool {
        batch.indices.dropFirst().allSatisfy { index in
            let (a, b) = (batch[index - 1].voyage, batch[index].voyage)
            return a.mmsi != b.mmsi ? a.mmsi < b.mmsi : a.departedAt <= b.departedAt
        }
    }

    /// Where a voyage goes in the (mmsi, reportDate) index: by vessel, then by departure (which
    /// orders the report dates too).
    private struct Place: Comparable {
        var vessel: Int
        var departure: Int64

        static func < (a: Place, b: Place) -> Bool {
            a.vessel != b.vessel ? a.vessel < b.vessel : a.departure < b.departure
        }
    }

    /// FNV-1a of the voyage's (operator, movementId).
    private static func keyHash(_ voyage: Voyage) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var (name, id) = (voyage.operator, voyage.movementId)
        name.withUTF8 { for byte in $0 { add(byte) } }
        add(0xFF)  // never in UTF-8: ("ab", "c") and ("a", "bc") differ
        id.withUTF8 { for byte in $0 { add(byte) } }
        return hash
    }

    /// The MMSI as a number: nine digits, so numbers order as the texts do.
    private static func vesselNumber(_ mmsi: MMSI) -> Int {
        mmsi.rawValue.utf8.reduce(0) { $0 * 10 + Int($1 &- 48) }
    }
}
