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
        """
        WITH RECURSIVE vessels(vessel) AS (
            SELECT (SELECT min(mmsi) FROM voyage)
            UNION ALL
            SELECT (SELECT min(mmsi) FROM voyage WHERE mmsi > vessels.vessel) FROM vessels WHERE vessel IS NOT NULL
        )
        SELECT \(columns) FROM vessels CROSS JOIN voyage ON voyage.mmsi = vessels.vessel WHERE \(condition)
        """
    }

    /// The operators with a voyage of this movement id (the one parameter), one seek in the
    /// (operator, movementId) index per operator that has voyages.
    static let operatorsOfMovement = """
        WITH RECURSIVE operators(name) AS (
            SELECT (SELECT min(operator) FROM voyage)
            UNION ALL
            SELECT (SELECT min(operator) FROM voyage WHERE operator > operators.name) FROM operators WHERE name IS NOT NULL
        )
        SELECT voyage.operator FROM operators CROSS JOIN voyage ON voyage.operator = operators.name
        WHERE voyage.movementId = ? ORDER BY voyage.operator
        """
}
