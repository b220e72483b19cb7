import SyncModel

/// Months the clerk submitted while the hub could not be reached: kept here
/// until the hub takes them (or refuses them for good), so that a station
/// without a link can still submit on time and nothing the clerk did is lost.
/// Each is one meta row, `queued_submission:YYYY-MM`, holding the request as
/// it will be sent.
extension ReplicaStore {
    private static let queuedPrefix = "queued_submission:"

    /// Queues `submission`, replacing an earlier one for the same month.
    public func queueSubmission(_ submission: SubmitRequest) throws {
        try writeTransaction {
            try setMeta(
                Self.queuedPrefix + submission.period.description, String(decoding: submission.encoded(), as: UTF8.self)
            )
        }
    }

    /// Submissions waiting to be sent, oldest month first. One that cannot
    /// be read back is named, not skipped: skipping it would drop the
    /// clerk's submission without a word.
    public func queuedSubmissions() throws -> [SubmitRequest] {
        try database.rows(
            "SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY key",
            [.text(Self.queuedPrefix), .text(Self.queuedPrefix + "\u{7F}")]
        ) { row in
            let key = row.text(0) ?? ""
            do {
                return try SubmitRequest.decode(Array((row.text(1) ?? "").utf8))
            } catch {
                throw StoreError.damagedQueuedSubmission(key: key, reason: String(describing: error))
            }
        }
    }

    /// Takes a month's submission off the queue once the hub has answered it.
    public func removeQueuedSubmission(_ period: Period) throws {
        try writeTransaction { try setMeta(Self.queuedPrefix + period.description, nil) }
    }
}
