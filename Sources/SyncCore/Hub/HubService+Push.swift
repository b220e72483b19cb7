import Reporting
import SyncModel
import SyncStore
import SyncSupport

/// Push ingest: decode and check off the database queue, then merge in one
/// transaction.
extension HubService {
    /// A push decoded and each state checked against the schema: work that
    /// needs no database, so the server does it off the database queue.
    public struct PreparedPush: Sendable {
        public let node: String
        /// Each entity decoded, with its schema error or, when valid, its
        /// stored form; or refused outright.
        let entities: [Result<(EntityState, Result<StoredForm, ValidationError>), PushRejection>]

        /// Entities that decoded and passed the field checks.
        public var acceptedCount: Int {
            entities.count { if case .success((_, .success)) = $0 { true } else { false } }
        }
    }

    /// Decodes a push body and checks every state's fields.
    public static func prepare(_ body: [UInt8], schema: EntitySchema) throws -> PreparedPush {
        let request: PushRequest
        do {
            request = try PushRequest.decode(body)
        } catch {
            if case .limit(let message) = error.reason { throw HubFailure.tooLarge(message) }
            throw HubFailure.badRequest(
                tr("the push body is not valid: \(error.description)", zh: "上传内容无效：\(error.description)"))
        }
        let entities = zip(request.entities, request.canonicalBytes).map { item, canonical in
            item.map { state -> (EntityState, Result<StoredForm, ValidationError>) in
                do throws(ValidationError) {
                    try schema.validate(state)
                    // Usually the bytes as sent: the station sends what it stores.
                    return (state, .success(StoredForm(state, canonical: canonical)))
                } catch {
                    return (state, .failure(error))
                }
            }
        }
        return PreparedPush(node: request.node, entities: entities)
    }

    /// Merges a push from `station` in one transaction and reports each
    /// entity's fate. Nothing is written for a refused entity; nothing at
    /// all if the body is unreadable.
    public func push(station: String, body: [UInt8]) throws -> PushResponse {
        try push(station: station, prepared: Self.prepare(body, schema: store.replica.schema))
    }

    /// Merges several prepared pushes in one transaction, each as if alone:
    /// one refused whole (its node bound to another station, a store
    /// error) is undone to where it began and fails alone. One commit, so
    /// one sync of the log to disk, for all of them; each is answered after
    /// it, as a single push is after its own. Results are in `pushes`' order.
    public func push(_ pushes: [(station: String, prepared: PreparedPush)]) -> [Result<PushResponse, any Error>] {
        guard pushes.count > 1 else {
            return pushes.map { push in Result { try self.push(station: push.station, prepared: push.prepared) } }
        }
        var results: [Result<PushResponse, any Error>] = []
        do {
            try store.replica.writeTransaction {
                try noticeFeedGoingBack()
                for push in pushes {
                    do {
                        results.append(
                            .success(
                                try store.replica.writePart {
                                    try self.push(station: push.station, prepared: push.prepared)
                                }))
                    } catch let lost as SavepointLost {
                        // The transaction is gone: every push in it fails.
                        throw lost.underlying
                    } catch {
                        results.append(.failure(error))
                    }
                }
            }
        } catch {
            return pushes.map { _ in .failure(error) }
        }
        return results
    }

    /// Merges a prepared push (see `prepare`).
    public func push(station: String, prepared request: PreparedPush) throws -> PushResponse {
        var response = PushResponse()
        let time = now
        // Checked as a transaction starts, when the feed holds only what is committed.
        let outermost = store.replica.lastSeqInTransaction == nil
        try store.replica.writeTransaction {
            if outermost { try noticeFeedGoingBack() }
            // A push that is refused whole leaves no trace, not even the binding.
            let bound = try checkBinding(node: request.node, station: station)
            var owners: [String: String?] = [:]
            func owner(_ node: String) throws -> String? {
                if let cached = owners[node] { return cached }
                let found = try store.station(ofNode: node)
                owners[node] = found
                return found
            }
            // A node that found this hub restored from a backup sends again
            // what the hub lost: writes of the station's other nodes, of nodes
            // whose binding was lost, of an operator, whose entries later
            // writes may have replaced. The hub cannot check those claims
            // against what it no longer has, so it takes them from a
            // recovering node, for this run of the server.
            let recovering = try store.isRecovering(node: request.node)
            var receipts: Set<String> = []
            // Approved months are locked: a change to one is held for the
            // operator as a late correction, never merged and never dropped.
            let locked = Set(try store.lockedPeriods(station: station))
            for (index, item) in request.entities.enumerated() {
                let state: EntityState
                let checked: Result<StoredForm, ValidationError>
                switch item {
                case .failure(let rejection):
                    response.rejected.append(rejection)
                    continue
                case .success(let (decoded, outcome)):
                    state = decoded
                    checked = outcome
                }
                func reject(_ cause: PushRejection.Cause, _ reason: String) {
                    response.rejected.append(
                        PushRejection(
                            index: index, kind: state.kind.rawValue, id: String(state.id.prefix(80)),
                            cause: cause, reason: reason))
                }
                guard state.station == station else {
                    reject(
                        .forbidden,
                        tr(
                            "\(state.kind.rawValue) \(state.id.prefix(80)) belongs to station \(state.station.prefix(40)); this token is for \(station)",
                            zh:
                                "\(state.kind.chineseName) \(state.id.prefix(80)) 属于卫生站 \(state.station.prefix(40))；此令牌属于卫生站 \(station)"
                        )
                    )
                    continue
                }
                let form: StoredForm
                switch checked {
                case .failure(let invalid):
                    reject(.invalid, invalid.description)
                    continue
                case .success(let computed):
                    form = computed
                }
                if !locked.isEmpty, state.kind == .tally, let key = try? TallyKey(entityID: state.id),
                    locked.contains(key.period.description)
                {
                    do {
                        let existing = try store.replica.entity(.tally, state.id)
                        try Self.checkStamps(
                            state, existing: existing, station: station, pusher: request.node, recovering: recovering,
                            owner: owner)
                        // Only what would change the hub's figure is held; a state it already has goes on.
                        if existing.map({ !$0.clock.descends(state.clock) }) ?? true {
                            try store.holdLateCorrection(
                                station: station, period: key.period.description, kind: .tally, id: state.id,
                                state: form.json, node: request.node, at: time)
                            response.accepted += 1
                            continue
                        }
                    } catch let error as ForgedStamp {
                        reject(.forbidden, error.message)
                        continue
                    }
                }
                do {
                    let result = try store.replica.merge(state, from: .node(request.node), form: form) { existing in
                        try Self.checkStamps(
                            state, existing: existing, station: station, pusher: request.node,
                            recovering: recovering, owner: owner)
                    }
                    response.accepted += 1
                    if case .stored(let newConflict) = result {
                        response.stored += 1
                        if newConflict { response.conflicts += 1 }
                    }
                    if state.kind == .tally, let key = try? TallyKey(entityID: state.id) {
                        receipts.insert(key.period.description)
                    }
                } catch let error as ForgedStamp {
                    reject(.forbidden, error.message)
                } catch MergeError.differentStations {
                    // Say whose it is to no one: that would tell another station who owns an id.
                    reject(
                        .forbidden,
                        tr(
                            "\(state.kind.rawValue) \(state.id.prefix(80)) belongs to another station",
                            zh: "\(state.kind.chineseName) \(state.id.prefix(80)) 属于其他卫生站"))
                } catch let error as MergeError {
                    reject(.invalid, error.description)
                } catch let error as StoreError {
                    reject(.invalid, error.description)
                }
            }
            if !bound && response.accepted > 0 { try bind(node: request.node, to: station) }
            try store.recordReceipts(station: station, periods: receipts.sorted(), at: time)
        }
        return response
    }

    /// A stamp a push may not carry: one entity is refused, the rest go on.
    private struct ForgedStamp: Error {
        let message: String
    }

    /// A push may carry the pushing node's stamps at any counter; another
    /// node's beyond what the hub has seen for this entity only if that node
    /// is the station's and the state holds the write itself, or, from a node
    /// recovering a restored hub, if the node is the station's or unknown.
    /// Anything else is a forged stamp.
    private static func checkStamps(
        _ state: EntityState, existing: EntityState?, station: String, pusher: String, recovering: Bool,
        owner: (String) throws -> String?
    ) throws {
        // Most clocks name only the pusher: check in place, and pick the
        // smallest node id to name the same forged stamp whatever the order.
        var forged: [(node: String, counter: UInt64, seen: UInt64)] = []
        for entry in state.clock.nodeCounters where entry.node != pusher {
            let (node, counter) = (entry.node, entry.counter)
            let seen = existing?.clock[node] ?? 0
            if counter <= seen { continue }
            // Another node of this station: only with the write itself, so
            // no node can claim to have seen (and so drop) a write the hub
            // never received.
            let nodeOwner = try owner(node)
            if recovering && (nodeOwner == station || nodeOwner == nil) { continue }
            if nodeOwner == station, state.holdsWrite(Dot(node: node, counter: counter)) { continue }
            forged.append((node, counter, seen))
        }
        if let (node, counter, seen) = forged.min(by: { $0.node < $1.node }) {
            throw ForgedStamp(
                message: tr(
                    "\(state.kind.rawValue) \(state.id.prefix(80)) carries a stamp \(node):\(counter) that is neither this station's nor one the hub has seen (it has seen \(seen)); the entity was refused",
                    zh:
                        "\(state.kind.chineseName) \(state.id.prefix(80)) 带有写入标记 \(node):\(counter)，它既不属于本卫生站，区平台也没有见过（区平台见过的是 \(seen)）；此条目被拒收"
                )
            )
        }
    }
}
