import SyncModel

/// The yearly volumes the district splits across its units (任务分解): one
/// figure per indicator, unit and year.
extension HubStore {
    public struct QuotaInfo: Sendable, Equatable {
        public let indicator: String
        public let unit: String
        public let year: Int
        public let value: Int
        /// Who set it (`--operator`), when known.
        public let setBy: String?
        /// When it was set, ms since 1970.
        public let setAt: Int64

        public init(indicator: String, unit: String, year: Int, value: Int, setBy: String?, setAt: Int64) {
            self.indicator = indicator
            self.unit = unit
            self.year = year
            self.value = value
            self.setBy = setBy
            self.setAt = setAt
        }
    }

    /// Sets a unit's quota, replacing the one it had for that indicator and year.
    public func setQuota(_ quota: QuotaInfo) throws {
        try database.run(
            """
            INSERT INTO quotas (indicator, unit, year, value, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (indicator, unit, year) DO UPDATE SET
                value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at
            """,
            [
                .text(quota.indicator), .text(quota.unit), .integer(Int64(quota.year)), .integer(Int64(quota.value)),
                .optional(quota.setBy), .integer(quota.setAt),
            ])
    }

    /// The quotas of `year`, or of every year with nil; by year, indicator, unit.
    public func quotas(year: Int? = nil) throws -> [QuotaInfo] {
        // Two statements rather than `?1 IS NULL OR year = ?1`: PostgreSQL
        // cannot tell the type of a parameter only ever compared with NULL.
        let filter = year == nil ? "" : "WHERE year = ?"
        return try database.rows(
            "SELECT indicator, unit, year, value, set_by, set_at FROM quotas \(filter) ORDER BY year, indicator, unit",
            year.map { [.integer(Int64($0))] } ?? []
        ) {
            QuotaInfo(
                indicator: $0.text(0) ?? "", unit: $0.text(1) ?? "", year: Int($0.int64(2)), value: Int($0.int64(3)),
                setBy: $0.text(4), setAt: $0.int64(5))
        }
    }
}
