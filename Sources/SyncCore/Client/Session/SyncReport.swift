import SyncModel
import SyncStore
import SyncSupport

/// What a sync did, honestly: counts, and every entity that failed.
public struct SyncReport: Sendable, Equatable {
    /// An entity that could not be synced, and why. It stays safe locally.
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        public let kind: String?
        public let id: String?
        public let reason: String

        public var description: String {
            [kind, id].compactMap { $0 }.joined(separator: " ") + (kind == nil && id == nil ? "" : ": ") + reason
        }
    }

    /// Entities sent and accepted by the hub.
    public var pushed = 0
    /// Entities received from the hub.
    public var pulled = 0
    /// Received entities that changed this store.
    public var merged = 0
    /// Entities that went into conflict here during this sync (a conflict
    /// made at the hub arrives in the pull).
    public var conflicts = 0
    public var failures: [Failure] = []
    /// Set when the hub showed this store to be a restored or copied one: the
    /// node id it gave up (it synced under a new one).
    public var retiredNode: String?
    /// Set when the hub had gone back in time (restored from a backup) and
    /// this node sent everything it holds again.
    public var hubWentBack = false
    public var requests = 0
    public var bytesSent = 0
    public var bytesReceived = 0

    public init() {}

    /// One line for a clerk.
    public var summary: String {
        "pushed \(pushed), pulled \(pulled), merged \(merged), new conflicts \(conflicts), failures \(failures.count)"
    }

    /// What happened beyond the counts, for the clerk, a line each.
    public var notices: [String] {
        var lines: [String] = []
        if let retiredNode {
            lines.append(
                "this laptop's database is a restored or copied one: it now syncs as a new node (it was \(retiredNode)); edits made since its last sync were sent as new edits, and nothing was lost"
            )
        }
        if hubWentBack {
            lines.append(
                "the hub had gone back in time (restored from a backup): this laptop sent everything it holds again and read the hub's data from the start"
            )
        }
        return lines
    }
}

/// Progress of a running sync, for a progress bar.
public struct SyncProgress: Sendable {
    public enum Phase: String, Sendable { case push, pull }
    public let phase: Phase
    /// Entities done in this phase, and the total if known.
    public let done: Int
    public let total: Int?
    public let bytes: Int
}
