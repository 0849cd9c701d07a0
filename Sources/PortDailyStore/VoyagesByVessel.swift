/// Queries over voyages by date, without an index on the date alone.
///
/// Voyages are indexed by (vessel, date) and by (operator, movementId) only: a bulk import comes
/// vessel by vessel, and an index on the date alone was written all over at every commit (a
/// quarter of a 10^6-voyage import's time; the v8 migration drops it). A query over dates walks
/// the vessels that have voyages instead, one seek each in the (vessel, date) index, and reads
/// each vessel's dates from it: a few hundred microseconds per hundred vessels, where a date
/// index read each voyage's row by a random seek anyway.
enum VoyagesByVessel {
    /// `SELECT columns` of the voyages matching `condition` (both on the voyage table's columns;
    /// the condition's parameters are the statement's), vessel by vessel.
    static func select(_ columns: String, where condition: String) -> String {
        "\(walk("mmsi")) SELECT \(columns) FROM walked CROSS JOIN voyage ON voyage.mmsi = walked.value WHERE \(condition)"
    }

    /// The operators with a voyage of this movement id (the one parameter), one seek in the
    /// (operator, movementId) index per operator that has voyages.
    static let operatorsOfMovement = """
        \(walk("operator")) SELECT voyage.operator FROM walked CROSS JOIN voyage ON voyage.operator = walked.value
        WHERE voyage.movementId = ? ORDER BY voyage.operator
        """

    /// A common table `walked(value)` of the distinct values of a voyage column that leads an
    /// index, found one seek at a time (the smallest, then the smallest above it, ...).
    private static func walk(_ column: String) -> String {
        """
        WITH RECURSIVE walked(value) AS (
            SELECT (SELECT min(\(column)) FROM voyage)
            UNION ALL
            SELECT (SELECT min(\(column)) FROM voyage WHERE \(column) > walked.value) FROM walked WHERE value IS NOT NULL
        )
        """
    }
}
