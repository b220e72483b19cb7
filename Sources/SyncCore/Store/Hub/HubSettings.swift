import SyncModel

/// The hub's settings; unset ones fall back to the catalog's defaults.
public struct HubSettings: Sendable, Equatable {
    /// The work plan whose targets reports use.
    public var plan: String?
    /// The day of the next month by which stations report.
    public var reportingDay: Int?
    /// The day of the next month by which township and street units
    /// approve their stations' months; nil: no deadline is judged.
    public var unitReviewDay: Int?

    public init(plan: String? = nil, reportingDay: Int? = nil, unitReviewDay: Int? = nil) {
        self.plan = plan
        self.reportingDay = reportingDay
        self.unitReviewDay = unitReviewDay
    }

    /// The meta keys, named here and nowhere else.
    enum Key {
        static let plan = "plan"
        static let reportingDay = "reporting_day"
        static let unitReviewDay = "unit_review_day"
        /// The hub's private bundle key (hex): stations seal USB bundles to its public half.
        static let bundleKey = "bundle_key"
    }
}

extension HubStore {
    public func settings() throws -> HubSettings {
        HubSettings(
            plan: try replica.meta(HubSettings.Key.plan),
            reportingDay: try replica.meta(HubSettings.Key.reportingDay).flatMap { Int($0) },
            unitReviewDay: try replica.meta(HubSettings.Key.unitReviewDay).flatMap { Int($0) })
    }

    /// Stores every setting of `settings` (nil clears one), in one transaction.
    public func saveSettings(_ settings: HubSettings) throws {
        try replica.writeTransaction {
            try replica.setMeta(HubSettings.Key.plan, settings.plan)
            try replica.setMeta(HubSettings.Key.reportingDay, settings.reportingDay.map { String($0) })
            try replica.setMeta(HubSettings.Key.unitReviewDay, settings.unitReviewDay.map { String($0) })
        }
    }

    /// Everything in the hub's file that sync and operators change, node
    /// bindings included, as one string (see `ReplicaStore.contentFingerprint`).
    public func contentFingerprint() throws -> String {
        let nodes = try database.rows("SELECT node, station FROM nodes ORDER BY node") {
            "\($0.text(0) ?? "")=\($0.text(1) ?? "")"
        }.joined(separator: ",")
        return try replica.contentFingerprint() + "#" + nodes
    }
}
