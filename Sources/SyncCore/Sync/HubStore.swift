/// The hub's store: every station's entities, the registered stations with
/// their hashed tokens, and the nodes bound to each station.
///
/// Not `Sendable`; the server runs it on one serial queue.
public final class HubStore {
    public let replica: ReplicaStore

    /// A registered station.
    public struct StationInfo: Sendable, Equatable {
        public let id: String
        public let name: String
        public let created: Int64
        public let revoked: Int64?
        public let nodes: Int
    }

    /// Opens the hub's store. `durability` stays `.full`: a push is
    /// acknowledged only after its commit is on disk (WAL, synchronous=FULL).
    public init(path: String, schema: EntitySchema = EntitySchema()) throws {
        replica = try ReplicaStore(path: path, durability: .full, schema: schema)
        if try replica.meta("role") == nil { try replica.setMeta("role", "hub") }
    }

    public func close() { replica.close() }

    var database: Database { replica.database }

    // MARK: - Stations

    /// Registers a station and returns its bearer token, which is stored only as a hash.
    public func addStation(id: String, name: String) throws -> String {
        do { try Identifiers.validateStation(id) } catch { throw HubError.badRequest(error.description) }
        guard !name.trimmingWhitespace().isEmpty else { throw HubError.badRequest("a station needs a name") }
        let token = TokenHash.newToken()
        try database.transaction {
            guard try database.scalarInt("SELECT count(*) FROM stations WHERE id = ?", [.text(id)]) == 0 else {
                throw HubError.conflict("station \(id) is already registered")
            }
            try database.run(
                "INSERT INTO stations (id, name, token_hash, created) VALUES (?, ?, ?, ?)",
                [.text(id), .text(name), .text(TokenHash.hash(token)), .integer(replica.now())])
        }
        return token
    }

    public func stations() throws -> [StationInfo] {
        try database.rows(
            """
            SELECT s.id, s.name, s.created, s.revoked, (SELECT count(*) FROM nodes n WHERE n.station = s.id)
            FROM stations s ORDER BY s.id
            """
        ) {
            StationInfo(id: $0.text(0) ?? "", name: $0.text(1) ?? "", created: $0.int64(2),
                        revoked: $0.isNull(3) ? nil : $0.int64(3), nodes: Int($0.int64(4)))
        }
    }

    /// Revokes a station's token at once: the next request with it is refused.
    public func revokeStation(id: String) throws {
        try database.run("UPDATE stations SET revoked = ? WHERE id = ? AND revoked IS NULL", [.integer(replica.now()), .text(id)])
        if database.changes == 0 {
            guard try database.scalarInt("SELECT count(*) FROM stations WHERE id = ?", [.text(id)]) == 1 else {
                throw HubError.notFound("no station \(id) is registered")
            }
        }
    }

    /// The station a bearer token belongs to. Every active station's hash is
    /// compared, in constant time, so timing reveals nothing.
    public func authenticate(token: String) throws -> String {
        let presented = TokenHash.hash(token)
        var match: String?
        try database.forEach("SELECT id, token_hash FROM stations WHERE revoked IS NULL") { row in
            if TokenHash.constantTimeEquals(row.text(1) ?? "", presented) { match = row.text(0) }
        }
        guard let match else { throw HubError.unauthorized("the token is not valid (unknown or revoked): ask the hub operator for a new one") }
        return match
    }

    // MARK: - Nodes

    /// Binds `node` to `station` at first contact; a node bound to another
    /// station is refused.
    func bind(node: String, to station: String) throws {
        guard try checkBinding(node: node, station: station) == false else { return }
        try database.run("INSERT INTO nodes (node, station, first_seen) VALUES (?, ?, ?)",
                         [.text(node), .text(station), .integer(replica.now())])
    }

    /// True when `node` is bound to `station`, false when unbound; throws
    /// when it belongs to another station.
    private func checkBinding(node: String, station: String) throws -> Bool {
        guard let owner = try database.scalarText("SELECT station FROM nodes WHERE node = ?", [.text(node)]) else {
            return false
        }
        guard owner == station else {
            throw HubError.forbidden("node \(node) belongs to station \(owner), not \(station)")
        }
        return true
    }

    // MARK: - Push

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
            if case .limit(let message) = error.reason { throw HubError.tooLarge(message) }
            throw HubError.badRequest("the push body is not valid: \(error.description)")
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
        try push(station: station, prepared: Self.prepare(body, schema: replica.schema))
    }

    /// Merges a prepared push (see `prepare`).
    public func push(station: String, prepared request: PreparedPush) throws -> PushResponse {
        var response = PushResponse()
        let now = replica.now()
        try replica.writeTransaction {
            // A push that is refused whole leaves no trace, not even the binding.
            let bound = try checkBinding(node: request.node, station: station)
            var owners: [String: String?] = [:]
            func owner(_ node: String) throws -> String? {
                if let cached = owners[node] { return cached }
                let found = try database.scalarText("SELECT station FROM nodes WHERE node = ?", [.text(node)])
                owners[node] = found
                return found
            }
            var receipts: Set<String> = []
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
                func reject(_ status: Int, _ reason: String) {
                    response.rejected.append(PushRejection(index: index, kind: state.kind.rawValue, id: String(state.id.prefix(80)),
                                                           status: status, reason: reason))
                }
                guard state.station == station else {
                    reject(403, "\(state.kind.rawValue) \(state.id.prefix(80)) belongs to station \(state.station.prefix(40)); this token is for \(station)")
                    continue
                }
                let form: StoredForm
                switch checked {
                case .failure(let invalid):
                    reject(422, invalid.description)
                    continue
                case .success(let computed):
                    form = computed
                }
                do {
                    let result = try replica.merge(state, from: .node(request.node), form: form) { existing in
                        try self.checkStamps(state, existing: existing, station: station, pusher: request.node, owner: owner)
                    }
                    response.accepted += 1
                    if case .stored(let newConflict) = result {
                        response.stored += 1
                        if newConflict { response.conflicts += 1 }
                    }
                    if state.kind == .tally, let key = try? TallyKey(entityID: state.id) {
                        receipts.insert(key.period.description)
                    }
                } catch let error as HubError {
                    reject(error.status, error.message)
                } catch let error as MergeError {
                    reject(422, error.description)
                }
            }
            if !bound && response.accepted > 0 { try bind(node: request.node, to: station) }
            for period in receipts.sorted() {
                try database.run(
                    """
                    INSERT INTO receipts (station, period, first_received, last_received) VALUES (?, ?, ?, ?)
                    ON CONFLICT (station, period) DO UPDATE SET last_received = excluded.last_received
                    """,
                    [.text(station), .text(period), .integer(now), .integer(now)])
            }
        }
        return response
    }

    /// A push may carry stamps of the station's own nodes (the pushing node
    /// included, which the push just bound) at any counter, and stamps of
    /// any other node only at counters the hub has already seen for this
    /// entity. Anything else is a forged stamp.
    private func checkStamps(
        _ state: EntityState, existing: EntityState?, station: String, pusher: String, owner: (String) throws -> String?
    ) throws {
        // Most clocks name only the pusher: check in place, and sort only to
        // name the same forged stamp whatever the dictionary's order.
        var forged: [(node: String, counter: UInt64, seen: UInt64)] = []
        for (node, counter) in state.clock.counters where node != pusher {
            let seen = existing?.clock[node] ?? 0
            if counter <= seen { continue }
            if try owner(node) == station { continue }
            forged.append((node, counter, seen))
        }
        if let (node, counter, seen) = forged.min(by: { $0.node < $1.node }) {
            throw HubError.forbidden(
                "\(state.kind.rawValue) \(state.id.prefix(80)) carries a stamp \(node):\(counter) that is neither this station's nor one the hub has seen (it has seen \(seen)); the entity was refused")
        }
    }

    // MARK: - Pull

    /// One page of `station`'s entities changed after `since`, leaving out
    /// states that are exactly what `node` itself pushed.
    public func pull(station: String, node: String, since: Int64, limit: Int) throws -> [UInt8] {
        try database.transaction { try bind(node: node, to: station) }
        return try database.readTransaction {
            var states: [[UInt8]] = []
            var lastSeq = since
            try database.forEach(
                """
                SELECT seq, state FROM entities WHERE station = ? AND seq > ? AND (origin IS NULL OR origin != ?)
                ORDER BY seq LIMIT ?
                """,
                [.text(station), .integer(since), .text(node), .integer(Int64(limit))]
            ) { row in
                lastSeq = row.int64(0)
                states.append(row.blob(1))
            }
            let more = states.count == limit
            // A short page means nothing else matched up to now: the cursor can
            // skip to the newest change (this snapshot's).
            let next = more ? lastSeq : max(since, try replica.lastSeq())
            return PullPage.encode(encodedStates: states, next: next, more: more)
        }
    }
}

// MARK: - Operator work

extension HubStore {
    /// The plan whose targets reports use, unless a report names another.
    public func planInForce(_ catalog: Catalog) throws -> String {
        try replica.meta("plan") ?? catalog.defaultPlan
    }

    /// The day of the next month by which stations report.
    public func reportingDay(_ catalog: Catalog) throws -> Int {
        try replica.meta("reporting_day").flatMap(Int.init) ?? catalog.reportingDay
    }

    /// Merges a station's exported bundle, after checking its signature
    /// against the station's token hash: the same authorisation as a push.
    public func importBundle(_ bytes: [UInt8]) throws -> (station: String, response: PushResponse) {
        let contents: Bundle.Contents
        do {
            contents = try Bundle.read(bytes)
        } catch {
            throw HubError.badRequest("not a readable bundle: \(error)")
        }
        guard let keyHash = try database.scalarText(
            "SELECT token_hash FROM stations WHERE id = ? AND revoked IS NULL", [.text(contents.station)])
        else {
            throw HubError.unauthorized("station \(contents.station.prefix(40)) is not registered or was revoked")
        }
        let expected = Bundle.signature(keyHash: keyHash, body: contents.pushBody)
        guard TokenHash.constantTimeEquals(expected, contents.signature) else {
            throw HubError.unauthorized("the bundle's signature does not match station \(contents.station)'s token: it was altered or made by someone else")
        }
        return (contents.station, try push(station: contents.station, body: contents.pushBody))
    }

    /// The month's report.
    public func report(period: Period, plan: String?, station: String?, catalog: Catalog) throws -> DistrictReport {
        let plan = try plan ?? planInForce(catalog)
        guard catalog.plans.contains(where: { $0.id == plan }) else {
            throw HubError.badRequest("unknown plan '\(plan)': use one of \(catalog.plans.map(\.id).joined(separator: ", "))")
        }
        var registered = try stations().filter { $0.revoked == nil }.map(\.id)
        if let station {
            guard registered.contains(station) else { throw HubError.notFound("no station \(station) is registered") }
            registered = [station]
        }
        let cells = try replica.entities(.tally, station: station, period: period.description).compactMap { state -> DistrictReport.Cell? in
            guard let key = try? TallyKey(entityID: state.id), !state.isDeleted || state.isInConflict("deleted") else { return nil }
            return DistrictReport.Cell(station: key.station, element: key.element, value: state.value("value").flatMap(Int.init),
                                       inConflict: state.isInConflict("value") || state.isInConflict("deleted"))
        }
        var received: [String: Int64] = [:]
        try database.forEach("SELECT station, first_received FROM receipts WHERE period = ?", [.text(period.description)]) {
            received[$0.text(0) ?? ""] = $0.int64(1)
        }
        return DistrictReport(period: period, plan: plan, catalog: catalog, cells: cells, registered: registered,
                              firstReceived: received, reportingDay: try reportingDay(catalog))
    }
}
