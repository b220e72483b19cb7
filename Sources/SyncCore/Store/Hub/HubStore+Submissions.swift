import SyncModel

/// Submit → review → approve → lock, per station and month, and the late
/// corrections (补报) a locked month receives.
extension HubStore {
    /// A month's place in review. A station in a township or street unit
    /// goes through two approvals (镇、区两级): the unit's (`reviewed`),
    /// then the district's (`approved`, which locks it); a station in no
    /// unit goes straight from `submitted` to `approved`.
    public enum SubmissionStatus: String, Sendable {
        case submitted, returned, reviewed, approved

        /// Whether the month counts as reported: submitted and not sent back.
        public var isLive: Bool { self != .returned }
    }

    public struct SubmissionEvent: Sendable, Equatable {
        public let station: String
        public let period: String
        public let action: String
        public let actor: String?
        public let reason: String?
        public let time: Int64
    }

    public struct LateCorrection: Sendable {
        public let number: Int64
        public let station: String
        public let period: String
        public let kind: EntityKind
        public let id: String
        public let state: [UInt8]
        public let node: String
        public let received: Int64
        public let status: String
        public let decidedBy: String?
        public let reason: String?
    }

    public func submissionStatus(station: String, period: String) throws -> SubmissionStatus? {
        try database.scalarText(
            "SELECT status FROM submissions WHERE station = ? AND period = ?", [.text(station), .text(period)]
        ).flatMap(SubmissionStatus.init(rawValue:))
    }

    /// Every station's status for a month, with when it last changed.
    public func submissions(period: String) throws -> [(station: String, status: SubmissionStatus, updated: Int64)] {
        try database.rows(
            "SELECT station, status, updated FROM submissions WHERE period = ? ORDER BY station", [.text(period)]
        ) { row in
            (row.text(0) ?? "", SubmissionStatus(rawValue: row.text(1) ?? "") ?? .submitted, row.int64(2))
        }
    }

    /// The months each station has submitted and not had sent back, with
    /// when it first submitted each (ms since 1970): what completeness and
    /// timeliness count. A month returned and submitted again keeps its
    /// first submission's time.
    public func liveSubmissions(periods: [String]) throws -> [String: [String: Int64]] {
        var found: [String: [String: Int64]] = [:]
        for period in periods {
            try database.forEach(
                """
                SELECT s.station, min(e.time) FROM submissions s
                JOIN submission_events e ON e.station = s.station AND e.period = s.period AND e.action = 'submit'
                WHERE s.period = ? AND s.status != 'returned' GROUP BY s.station
                """, [.text(period)]
            ) { row in found[row.text(0) ?? "", default: [:]][period] = row.int64(1) }
        }
        return found
    }

    /// When each station's month was approved by its unit (the last such
    /// step, ms since 1970), for months the unit has approved and nobody sent back since.
    public func unitApprovals(period: String) throws -> [String: Int64] {
        var found: [String: Int64] = [:]
        try database.forEach(
            """
            SELECT s.station, max(e.time) FROM submissions s
            JOIN submission_events e ON e.station = s.station AND e.period = s.period AND e.action = 'approve-unit'
            WHERE s.period = ? AND s.status IN ('reviewed', 'approved') GROUP BY s.station
            """, [.text(period)]
        ) { row in found[row.text(0) ?? ""] = row.int64(1) }
        return found
    }

    /// The months of `station` that are approved, and so locked.
    public func lockedPeriods(station: String) throws -> [String] {
        try database.rows(
            "SELECT period FROM submissions WHERE station = ? AND status = 'approved' ORDER BY period",
            [.text(station)]
        ) { $0.text(0) ?? "" }
    }

    /// Sets a month's status and keeps the step in the history.
    public func recordSubmission(
        station: String, period: String, status: SubmissionStatus, action: String, actor: String?, reason: String?,
        at time: Int64
    ) throws {
        try database.run(
            """
            INSERT INTO submissions (station, period, status, updated) VALUES (?, ?, ?, ?)
            ON CONFLICT (station, period) DO UPDATE SET status = excluded.status, updated = excluded.updated
            """, [.text(station), .text(period), .text(status.rawValue), .integer(time)])
        try database.run(
            "INSERT INTO submission_events (station, period, action, actor, reason, time) VALUES (?, ?, ?, ?, ?, ?)",
            [.text(station), .text(period), .text(action), .optional(actor), .optional(reason), .integer(time)])
    }

    public func submissionEvents(station: String, period: String) throws -> [SubmissionEvent] {
        try database.rows(
            """
            SELECT station, period, action, actor, reason, time FROM submission_events
            WHERE station = ? AND period = ? ORDER BY n
            """, [.text(station), .text(period)]
        ) { row in
            SubmissionEvent(
                station: row.text(0) ?? "", period: row.text(1) ?? "", action: row.text(2) ?? "", actor: row.text(3),
                reason: row.text(4), time: row.int64(5))
        }
    }

    // MARK: - Late corrections

    public func holdLateCorrection(
        station: String, period: String, kind: EntityKind, id: String, state: [UInt8], node: String, at time: Int64
    ) throws {
        try database.run(
            """
            INSERT INTO late_corrections (station, period, kind, id, state, node, received, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')
            """,
            [
                .text(station), .text(period), .text(kind.rawValue), .text(id), .blob(state), .text(node),
                .integer(time),
            ])
    }

    public func lateCorrections(pendingOnly: Bool) throws -> [LateCorrection] {
        try database.rows(
            """
            SELECT n, station, period, kind, id, state, node, received, status, decided_by, reason
            FROM late_corrections \(pendingOnly ? "WHERE status = 'pending'" : "") ORDER BY n
            """
        ) { row in
            LateCorrection(
                number: row.int64(0), station: row.text(1) ?? "", period: row.text(2) ?? "",
                kind: EntityKind(rawValue: row.text(3) ?? "") ?? .tally, id: row.text(4) ?? "", state: row.blob(5),
                node: row.text(6) ?? "", received: row.int64(7), status: row.text(8) ?? "", decidedBy: row.text(9),
                reason: row.text(10))
        }
    }

    public func decideLateCorrection(
        number: Int64, status: String, by operator: String?, reason: String?, at time: Int64
    )
        throws
    {
        try database.run(
            "UPDATE late_corrections SET status = ?, decided_by = ?, decided = ?, reason = ? WHERE n = ?",
            [.text(status), .optional(`operator`), .integer(time), .optional(reason), .integer(number)])
    }
}
