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
            let what = tr(
                [kind, id].compactMap { $0 }.joined(separator: " "),
                zh: [kind.map { EntityKind(rawValue: $0)?.chineseName ?? $0 }, id].compactMap { $0 }.joined(
                    separator: " "))
            return what + (kind == nil && id == nil ? "" : tr(": ", zh: "：")) + reason
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
        tr(
            "pushed \(pushed), pulled \(pulled), merged \(merged), new conflicts \(conflicts), failures \(failures.count)",
            zh: "上传 \(pushed)，下载 \(pulled)，合并 \(merged)，新冲突 \(conflicts)，失败 \(failures.count)")
    }

    /// What happened beyond the counts, for the clerk, a line each.
    public var notices: [String] {
        var lines: [String] = []
        if let retiredNode {
            lines.append(
                tr(
                    "this laptop's database is a restored or copied one: it now syncs as a new node (it was \(retiredNode)); edits made since its last sync were sent as new edits, and nothing was lost",
                    zh:
                        "这台电脑的数据库是恢复或复制来的：现在以新节点身份同步（原节点是 \(retiredNode)）；上次同步以来的修改已作为新修改上传，没有丢失任何数据"
                )
            )
        }
        if hubWentBack {
            lines.append(
                tr(
                    "the hub had gone back in time (restored from a backup): this laptop sent everything it holds again and read the hub's data from the start",
                    zh: "区平台的数据回到了较早的状态（从备份恢复）：这台电脑已重新上传全部数据，并从头下载了区平台的数据"
                )
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
    /// Wire bytes of this phase's bodies so far.
    public let bytes: Int
    /// Seconds since the phase began.
    public let elapsed: Double
}
