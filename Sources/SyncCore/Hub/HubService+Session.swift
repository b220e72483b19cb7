import SyncModel
import SyncStore

/// The handshake that opens every sync: is this the copy of the node the hub
/// last spoke with, and is the node's cursor in a feed the hub still has?
extension HubService {
    /// Starts a new incarnation of the hub: called when the server starts,
    /// so that a restored file is told apart from the history it lost.
    @discardableResult
    public func startIncarnation() throws -> String {
        try store.startIncarnation(id: Identifiers.newToken30(), at: now).id
    }

    /// The incarnation being served, for a process that joins others
    /// serving the same database (`HubLiveness`): the newest, or a new one
    /// when there is none.
    public func currentIncarnation() throws -> String {
        try store.replica.writeTransaction {
            try store.incarnations().last?.id ?? startIncarnation()
        }
    }

    /// Answers `request` from a node of `station`. Writes the node's new
    /// session token (nothing else) when the node is the current copy.
    public func session(station: String, _ request: SessionRequest) throws -> SessionResponse {
        try store.replica.writeTransaction {
            _ = try checkBinding(node: request.node, station: station)
            var incarnations = try store.incarnations()
            if incarnations.isEmpty {
                // A file whose server has not started since it gained incarnations.
                incarnations = [try store.startIncarnation(id: Identifiers.newToken30(), at: now)]
            }
            // A node of the current incarnation whose cursor lies past the
            // feed's end read positions the database no longer has.
            let end = try feedEnd()
            let pastTheEnd = request.epoch == incarnations.last!.id && request.cursor > end
            if try noticeFeedGoingBack(end: end, pastTheEnd: pastTheEnd) { incarnations = try store.incarnations() }
            let rebase = try rolledBack(request, station: station, incarnations: incarnations)
            let known = try store.sessionToken(node: request.node)
            // The current copy holds the token the hub handed out last, or is
            // retrying a handover the hub already made; a first contact has
            // none. A hub restored from a backup knows an older token: every
            // copy holds it in its history, and the first to show it is the
            // one the hub goes on with; another copy then holds none of the new.
            let current =
                known == nil || known == request.current || known == request.next || request.history.contains(known!)
            if current {
                try store.setSessionToken(node: request.node, token: request.next, at: now)
                if let key = request.signingKey {
                    try learnSigningKey(key, node: request.node, station: station)
                }
            }
            return SessionResponse(
                nodeCurrent: current, epoch: incarnations.last!.id, rebase: rebase,
                bundleKey: try bundleKey().publicKey.hex, locked: try store.lockedPeriods(station: station))
        }
    }

    /// Starts an incarnation at the feed's current end when the feed went
    /// back under this process (`FeedHighWater`: a restore while the hub
    /// served), or a node shows it read past the end; returns whether it did.
    /// Every node that read past the new incarnation's start is then told,
    /// at its next session, to send again what the hub lost. Called as a
    /// write transaction starts.
    @discardableResult
    func noticeFeedGoingBack(end: Int64? = nil, pastTheEnd: Bool = false) throws -> Bool {
        guard try feedHighWater.observe(end ?? feedEnd()) || pastTheEnd else { return false }
        try store.startIncarnation(id: Identifiers.newToken30(), at: now)
        return true
    }

    /// The feed's end, as the write transaction under way found it.
    private func feedEnd() throws -> Int64 {
        try store.replica.lastSeqInTransaction ?? store.replica.lastSeq()
    }

    /// Whether the node read a part of the feed that a restore took away:
    /// its epoch is unknown here, or its cursor lies past where the next
    /// incarnation started. Such a node is logged in `rollbacks`.
    private func rolledBack(_ request: SessionRequest, station: String, incarnations: [HubStore.Incarnation]) throws
        -> Bool
    {
        guard let epoch = request.epoch else { return false }
        let feedEnd: Int64?
        if let index = incarnations.firstIndex(where: { $0.id == epoch }) {
            guard index + 1 < incarnations.count else { return false }
            feedEnd = incarnations[index + 1].startSeq
            if request.cursor <= feedEnd! { return false }
        } else {
            feedEnd = nil
        }
        try store.recordRollback(
            node: request.node, station: station, feedEnd: feedEnd, nodeCursor: request.cursor, at: now)
        return true
    }
}
