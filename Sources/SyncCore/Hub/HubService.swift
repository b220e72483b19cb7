import Reporting
import SyncModel
import SyncStore
import SyncSupport

/// The hub's work, without HTTP: stations and their tokens, node binding,
/// push ingest, the pull feed, bundle import, operator settings and reports.
/// Refusals are `HubFailure`s; `HubServer` turns them into HTTP answers.
///
/// Not `Sendable`, like the store it owns; the server runs it on one serial queue.
public final class HubService {
    public let store: HubStore
    /// What this process has seen of the feed (`FeedHighWater`); a server
    /// gives every connection of one process the same.
    package var feedHighWater = FeedHighWater()

    public convenience init(path: String, schema: EntitySchema = EntitySchema()) throws {
        self.init(store: try HubStore(path: path, schema: schema))
    }

    /// The hub on a store opened elsewhere (a PostgreSQL one).
    package init(store: HubStore) {
        self.store = store
    }

    public func close() { store.close() }

    /// Every station's entities, for operator reads and resolutions.
    public var replica: ReplicaStore { store.replica }

    var now: Int64 { store.replica.now() }

    // MARK: - Stations

    /// Registers a station and returns its bearer token, which is stored only as a hash.
    public func addStation(id: String, name: String, unit: String? = nil) throws -> String {
        if let unit { try checkUnitExists(unit) }
        do { try Identifiers.validateStation(id) } catch { throw HubFailure.badRequest(error.description) }
        guard !name.trimmingWhitespace().isEmpty else {
            throw HubFailure.badRequest(tr("a station needs a name", zh: "卫生站需要名称"))
        }
        // Shown in every report and listing: one line, nothing hidden.
        if let problem = TextCharacters.problem(name) {
            throw HubFailure.badRequest(ValidationError(field: "name", problem).description)
        }
        let token = TokenHash.newToken()
        guard try store.insertStation(id: id, name: name, tokenHash: TokenHash.hash(token), created: now, unit: unit)
        else {
            throw HubFailure.alreadyExists(tr("station \(id) is already registered", zh: "卫生站 \(id) 已经注册"))
        }
        return token
    }

    public func stations() throws -> [HubStore.StationInfo] {
        try store.stations()
    }

    /// Revokes a station's token at once: the next request with it is refused.
    public func revokeStation(id: String) throws {
        guard try store.revokeStation(id: id, at: now) else {
            throw HubFailure.notFound(tr("no station \(id) is registered", zh: "没有注册卫生站 \(id)"))
        }
    }

    /// Gives a station a new token (also one whose token was revoked) and
    /// returns it; the old token stops working at once. Only its hash is kept.
    public func rotateToken(station: String) throws -> String {
        let token = TokenHash.newToken()
        guard try store.replaceToken(station: station, tokenHash: TokenHash.hash(token)) else {
            throw HubFailure.notFound(tr("no station \(station) is registered", zh: "没有注册卫生站 \(station)"))
        }
        return token
    }

    /// The station a bearer token belongs to, unless it is unknown or revoked.
    public func authenticate(token: String) throws -> String {
        // Found by its hash through an index, not compared with every
        // station's (docs/security.md says why that is safe). Two stations
        // with one token cannot be told apart: neither is let in.
        let found = try store.activeStations(tokenHash: TokenHash.hash(token))
        guard found.count == 1, let match = found.first else {
            throw HubFailure.unauthorized(
                tr(
                    "the token is not valid (unknown or revoked): ask the hub operator for a new one",
                    zh: "令牌无效（未知或已吊销）：请向区平台操作员要新令牌"))
        }
        return match
    }

    // MARK: - Nodes

    /// Binds `node` to `station` at first contact; a node bound to another
    /// station is refused.
    func bind(node: String, to station: String) throws {
        guard try checkBinding(node: node, station: station) == false else { return }
        try store.bind(node: node, to: station, at: now)
    }

    /// True when `node` is bound to `station`, false when unbound; throws
    /// when it belongs to another station.
    func checkBinding(node: String, station: String) throws -> Bool {
        guard let owner = try store.station(ofNode: node) else { return false }
        guard owner == station else {
            throw HubFailure.forbidden(
                tr(
                    "node \(node) belongs to another station, not \(station)",
                    zh: "节点 \(node) 属于其他卫生站，不属于 \(station)"))
        }
        return true
    }

    // MARK: - Pull

    /// One page of `station`'s entities changed after `since`, leaving out
    /// states that are exactly what `node` itself pushed, as a response body.
    /// A pull binds nothing: a node is bound only by its own accepted writes,
    /// so a pull with one station's token cannot squat another's node id.
    public func pull(station: String, node: String, since: Int64, limit: Int) throws -> [UInt8] {
        try store.replica.readTransaction {
            _ = try checkBinding(node: node, station: station)
            // One row more than the page holds says whether another page follows.
            let page = try store.feedPage(station: station, excludingOriginNode: node, since: since, limit: limit + 1)
            let more = page.states.count > limit
            let states = more ? Array(page.states.prefix(limit)) : page.states
            // The last page says nothing else matched up to now: the cursor can
            // skip to the newest change (this snapshot's).
            let next = more ? page.seqs[limit - 1] : max(since, try store.replica.lastSeq())
            return PullPage.encode(encodedStates: states, next: next, more: more)
        }
    }
}
