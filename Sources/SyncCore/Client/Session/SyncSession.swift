import Dispatch
import Foundation
import SyncModel
import Synchronization
import SyncStore
import SyncSupport

/// One sync of a station node with its hub: push everything the hub has not
/// acknowledged, then pull everything changed at the hub since the last
/// cursor. Each pulled page is merged in the same transaction that moves the
/// cursor, so a broken link resumes where it broke.
public final class SyncSession {
    public struct Options: Sendable {
        public var hubURL: String
        public var token: String
        public var station: String
        /// Most entities per push batch (the protocol's maximum). Each hub
        /// commit rewrites the index pages its batch touches, so fewer,
        /// larger commits write less: on a fast link batches are this large.
        public var batchSize = 5_000
        /// Most bytes (before compression) per push batch.
        public var batchBytes = 6 << 20
        /// Most entities per pulled page: the protocol's maximum, so a new
        /// laptop takes 20 round trips and commits for 100,000 records, not 100.
        public var pullLimit = SyncProtocol.maxPullLimit
        public var gzip = true
        /// Push batches in flight at once on a fast link: the hub decodes one
        /// while it stores another. Three kept the hub under 130 MB at 5,000
        /// per batch. On a slow link, at most two: one crossing, one
        /// awaiting its answer.
        public var pipelineDepth = 3
        /// How much of a slow link's work a cut may throw away, in seconds:
        /// push batches and pulled pages are sized from the link's measured
        /// speed so that what is unacknowledged crosses in about this long
        /// (`LinkPacer`). A fast link gets the largest batches whatever this says.
        public var targetSeconds = 2.0

        public init(hubURL: String, token: String, station: String) {
            self.hubURL = hubURL.hasSuffix("/") ? String(hubURL.dropLast()) : hubURL
            self.token = token
            self.station = station
        }
    }

    let store: ReplicaStore
    let clients: any SyncTransport
    private let options: Options
    private let progress: ((SyncProgress) -> Void)?
    public private(set) var report = SyncReport()
    /// Batch and page sizes, from the speed this sync's requests measured.
    private var pacer: LinkPacer

    public init(store: ReplicaStore, client: HTTPClient, options: Options, progress: ((SyncProgress) -> Void)? = nil) {
        self.store = store
        self.clients = ClientPool(first: client)
        self.options = options
        self.progress = progress
        pacer = LinkPacer(limits: Self.limits(options))
    }

    /// A session over another transport (the tests' hub in the same process).
    package init(store: ReplicaStore, transport: any SyncTransport, options: Options) {
        self.store = store
        self.clients = transport
        self.options = options
        self.progress = nil
        pacer = LinkPacer(limits: Self.limits(options))
    }

    private static func limits(_ options: Options) -> LinkPacer.Limits {
        var limits = LinkPacer.Limits()
        limits.targetSeconds = options.targetSeconds
        limits.maxBatchEntities = max(1, min(options.batchSize, SyncProtocol.maxPushEntities))
        limits.maxBatchBytes = max(1, options.batchBytes)
        limits.firstBatchBytes = min(limits.firstBatchBytes, limits.maxBatchBytes)
        limits.maxDepth = max(1, options.pipelineDepth)
        limits.maxPageEntities = max(1, min(options.pullLimit, SyncProtocol.maxPullLimit))
        return limits
    }

    /// Shakes hands, pushes, then pulls. Throws when the hub cannot be
    /// reached or refuses the station; `report` then says how far it got.
    @discardableResult
    public func run() throws -> SyncReport {
        try handshake()
        try push()
        try pull()
        return report
    }

    // MARK: - Handshake

    /// Opens the sync (`POST /v1/session`). A node the hub shows to be a
    /// restored or copied store takes a new id first, and its writes since
    /// the last handshake move to it; after a hub restore, everything this
    /// node holds is sent again and the feed read from the start. Both are
    /// committed before anything is pushed.
    public func handshake() throws {
        for _ in 0..<2 {
            var checkpoint = try store.syncCheckpoint()
            if checkpoint.sessionNext == nil {
                // Kept before it is sent: a retry after a lost answer sends it again.
                checkpoint.sessionNext = Identifiers.newToken30()
                try store.saveSyncCheckpoint(checkpoint)
            }
            // Writes up to here are known to the hub or wait in `pending` under
            // dots only this copy has used, once the hub confirms the token.
            let mark = try store.lastAuditNumber()
            let request = SessionRequest(
                node: store.nodeID, current: checkpoint.sessionCurrent, history: checkpoint.sessionHistory,
                next: checkpoint.sessionNext!, epoch: checkpoint.hubEpoch, cursor: try store.pullCursor(),
                signingKey: try store.nodeSigningKey().publicKey.hex)
            let started = monotonicSeconds()
            let response = try clients.send(makeRequest(method: "POST", path: "/v1/session", body: request.encoded()))
                .get()
            pacer.observeExchange(
                sent: response.bytesSent, received: response.bytesReceived,
                seconds: response.seconds > 0 ? response.seconds : monotonicSeconds() - started)
            count(response)
            let answer = try Self.decodeOK(response, SessionResponse.decode)
            guard answer.nodeCurrent else {
                report.retiredNode = store.nodeID
                // A hub that went back too may have lost writes made before
                // the mark: then every write of the old id moves.
                try store.reidentify(everything: answer.rebase)
                continue
            }
            if answer.rebase {
                report.hubWentBack = true
                try store.resendEverything(hubEpoch: answer.epoch)
            }
            checkpoint.sessionHistory = Array(
                ([checkpoint.sessionCurrent].compactMap { $0 } + checkpoint.sessionHistory).prefix(
                    SessionRequest.maxHistory))
            (checkpoint.sessionCurrent, checkpoint.sessionNext) = (checkpoint.sessionNext, nil)
            (checkpoint.hubEpoch, checkpoint.auditMark) = (answer.epoch, mark)
            checkpoint.hubBundleKey = answer.bundleKey ?? checkpoint.hubBundleKey
            checkpoint.lockedPeriods = answer.locked
            try store.saveSyncCheckpoint(checkpoint)
            return
        }
        throw SyncError.badResponse(
            tr(
                "the hub refused this node's new id as well; try again, and tell the hub operator if it persists",
                zh: "区平台也拒绝了本节点的新编号；请再试一次，如果仍然不行，请告诉区平台操作员"))
    }

    // MARK: - Push

    /// One push batch on its way: the rows it carries and, once back, the
    /// answer and how long it took.
    private struct Flight: Sendable {
        let seqs: [Int64]
        let states: [[UInt8]]
        let outcome: Result<HTTPClient.Response, SyncError>
        /// Launch order, and when the answer came (monotonic seconds).
        var index = 0
        var landed = 0.0
        /// The answered try's time: a retry's wait says nothing of the link.
        var seconds = 0.0
    }

    /// Pushes what waits, in batches sized to the link (`LinkPacer`): on a
    /// fast one, the largest batches, several in flight; on a slow one, each
    /// batch sized by the answers to the ones before, and sent when the one
    /// before has crossed the link.
    public func push() throws {
        let total = try store.pendingCount()
        pacer.pendingEntities = total
        let started = monotonicSeconds()
        var after: Int64 = 0
        var done = 0
        // Batches travel each on its own curl handle and thread, so the hub
        // merges one batch while the next is read, compressed and sent. Acks
        // are applied here, on the store's thread.
        let flights = FlightDeck<Flight>()
        var failure: (any Error)?
        var warmUp: Prefetch<Result<HTTPClient.Response, SyncError>>?
        defer {
            flights.waitUntilEmpty()
            if case .success(let response) = warmUp?.wait() { count(response) }
        }

        func land() throws {
            for flight in flights.takeAll() {
                pacer.landed(flight.index, at: flight.landed)
                do {
                    try acknowledge(flight, total: total, done: &done, started: started)
                } catch {
                    failure = failure ?? error
                }
            }
        }

        var launched = 0
        while failure == nil {
            let slow = !pacer.linkIsFast
            if slow {
                // On a slow link the next batch is sized from the answers
                // landed by then: one batch may still be in flight once the
                // link is measured, none before.
                flights.waitForRoom(depth: pacer.depth)
                try land()
                if failure != nil { break }
            }
            let batch = try store.pendingBatch(after: after, limit: pacer.batchEntities, maxBytes: pacer.batchBytes)
            guard let last = batch.seqs.last else { break }
            after = last
            let request = makeRequest(
                method: "POST", path: "/v1/push",
                body: PushRequest.encode(node: store.nodeID, encodedStates: batch.states))
            if slow, let free = pacer.linkFree {
                // It leaves once the one before has crossed, while the hub's
                // answer to that one comes back.
                flights.waitForRoom(depth: pacer.depth, notBefore: free)
            }
            flights.waitForRoom(depth: pacer.depth)
            try land()
            if failure != nil { break }
            flights.launch()
            launched += 1
            let index = launched
            pacer.launched(index, wireBytes: request.body?.count ?? 0, at: monotonicSeconds())
            if index == 1, pacer.wantsSecondConnection(pending: total) {
                // On a slow link with long round trips, a second connection
                // opens while the first batches measure the link (a health
                // check: no data), ready for when two batches travel at once.
                let (pool, health) = (clients, HTTPClient.Request(method: "GET", url: options.hubURL + "/v1/health"))
                warmUp = Prefetch { pool.sendOnNewConnection(health) }
            }
            let pool = clients
            DispatchQueue.global().async {
                let sent = monotonicSeconds()
                let outcome = pool.send(request)
                let landed = monotonicSeconds()
                let measured = (try? outcome.get()).map { $0.seconds > 0 ? $0.seconds : landed - sent } ?? landed - sent
                flights.add(
                    Flight(
                        seqs: batch.seqs, states: batch.states, outcome: outcome, index: index, landed: landed,
                        seconds: measured))
            }
        }
        flights.waitUntilEmpty()
        try land()
        if let failure { throw failure }
    }

    /// Applies one push answer: acks the rows the hub took, records refusals.
    private func acknowledge(_ flight: Flight, total: Int, done: inout Int, started: Double) throws {
        let response = try flight.outcome.get()
        count(response)
        let result: PushResponse
        if response.status == 200 || (400..<500).contains(response.status) && response.status != 401 {
            do {
                result = try PushResponse.decode(response.body)
            } catch {
                // Refused whole (too large, unreadable): one bad entity must not
                // hold back the others, so the batch is sent again in halves
                // until the entity that is refused is alone.
                return try split(flight, refusal: response, total: total, done: &done, started: started)
            }
            if response.status != 200 && result.rejected.isEmpty {
                return try split(flight, refusal: response, total: total, done: &done, started: started)
            }
        } else if response.status == 401 {
            throw SyncError.unauthorized(Self.errorMessage(response.body))
        } else {
            throw SyncError.hubRefused(status: response.status, message: Self.errorMessage(response.body))
        }
        if response.status == 200 {
            pacer.observePush(
                entities: flight.states.count, rawBytes: flight.states.reduce(0) { $0 + $1.count + 1 },
                sent: response.bytesSent, received: response.bytesReceived, seconds: flight.seconds,
                plain: response.attempts == 1 && !response.newConnection)
        }
        let rejected = Set(result.rejected.map(\.index))
        try store.acknowledge(flight.seqs.enumerated().filter { !rejected.contains($0.offset) }.map(\.element))
        for rejection in result.rejected {
            report.failures.append(SyncReport.Failure(kind: rejection.kind, id: rejection.id, reason: rejection.reason))
        }
        // A conflict the hub made comes back in the pull and is counted
        // there, once, where the clerk can see it.
        report.pushed += result.accepted
        done += flight.seqs.count
        progress?(
            SyncProgress(
                phase: .push, done: done, total: total, bytes: report.bytesSent,
                elapsed: monotonicSeconds() - started))
    }

    /// Sends a batch the hub refused whole again as two halves, one at a
    /// time; a single entity refused whole is reported, and stays pending.
    private func split(
        _ flight: Flight, refusal: HTTPClient.Response, total: Int, done: inout Int, started: Double
    ) throws {
        guard flight.seqs.count > 1 else {
            let identity = try? EntityState.decodeJSON(flight.states[0])
            report.failures.append(
                SyncReport.Failure(
                    kind: identity?.kind.rawValue, id: identity?.id,
                    reason: tr(
                        "the hub refused it (\(refusal.status)): \(Self.errorMessage(refusal.body))",
                        zh: "区平台拒收（\(refusal.status)）：\(Self.errorMessage(refusal.body))")))
            done += 1
            return
        }
        let middle = flight.seqs.count / 2
        for range in [0..<middle, middle..<flight.seqs.count] {
            let states = Array(flight.states[range])
            let request = makeRequest(
                method: "POST", path: "/v1/push", body: PushRequest.encode(node: store.nodeID, encodedStates: states))
            let half = Flight(seqs: Array(flight.seqs[range]), states: states, outcome: clients.send(request))
            try acknowledge(half, total: total, done: &done, started: started)
        }
    }

    // MARK: - Pull

    /// A pulled page as it came: its answer and where the next page starts,
    /// read before its entities are decoded, so that the next request
    /// leaves at once; the entities are decoded and checked meanwhile, off
    /// the store's thread.
    private struct FetchedPage: Sendable {
        let response: HTTPClient.Response
        let next: Int64
        let more: Bool
        /// From asking to the whole answer.
        let seconds: Double
        let items: Prefetch<Result<[PulledItem], SyncError>>
        /// The next page, when this fetch asked for it itself (a fast link).
        let following: Prefetch<Result<FetchedPage, SyncError>>?
    }

    /// One entity of a pulled page: ready to merge, or why it cannot be.
    private enum PulledItem: Sendable {
        case ready(EntityState, StoredForm)
        case refused(SyncReport.Failure)
    }

    /// Pages asked for and not yet taken to be merged. A fetch on a fast
    /// link asks for the next page itself as soon as its own has come, if
    /// that leaves at most two waiting: the hub serves one while the station
    /// decodes another and merges a third, and no more are held in memory.
    private final class PageWindow: Sendable {
        private let waiting = Atomic(0)
        static let most = 2

        func reserve() { waiting.add(1, ordering: .relaxed) }

        func tryReserve() -> Bool {
            var current = waiting.load(ordering: .relaxed)
            while current < Self.most {
                let (exchanged, found) = waiting.compareExchange(
                    expected: current, desired: current + 1, ordering: .relaxed)
                if exchanged { return true }
                current = found
            }
            return false
        }

        func taken() { waiting.subtract(1, ordering: .relaxed) }
    }

    /// What a fetch needs to ask for a page, and for the next one.
    private struct PageFetch: Sendable {
        let pool: any SyncTransport
        let schema: EntitySchema
        let station: String
        let template: HTTPClient.Request
        let path: @Sendable (Int64) -> String
        /// Nil on a slow link: each page is then sized by the ones before
        /// it, and asked for by `pull` once the one before is counted.
        let window: PageWindow?
    }

    /// Asks for the page after `cursor`, sized to the link.
    private func fetchPage(after cursor: Int64, window: PageWindow) -> Prefetch<Result<FetchedPage, SyncError>> {
        let (limit, node, base) = (pacer.pageEntities, store.nodeID, options.hubURL)
        let fetch = PageFetch(
            pool: clients, schema: store.schema, station: options.station,
            template: makeRequest(method: "GET", path: "/v1/pull", body: nil),
            path: { base + "/v1/pull?since=\($0)&limit=\(limit)&node=\(node)" },
            // Pages are then the largest whatever is measured.
            window: pacer.linkIsFast ? window : nil)
        window.reserve()
        return Self.fetchPage(fetch, after: cursor)
    }

    /// Fetches the page after `cursor`, then prepares its entities: the
    /// work that needs no database, done while the previous page is merged.
    private static func fetchPage(_ fetch: PageFetch, after cursor: Int64) -> Prefetch<Result<FetchedPage, SyncError>> {
        Prefetch {
            Result { () throws(SyncError) -> FetchedPage in
                var request = fetch.template
                request.url = fetch.path(cursor)
                let asked = monotonicSeconds()
                let response = try fetch.pool.send(request).get()
                let seconds = response.seconds > 0 ? response.seconds : monotonicSeconds() - asked
                let outline = try Self.decodeOK(response, Self.outline)
                var following: Prefetch<Result<FetchedPage, SyncError>>?
                if outline.more, let window = fetch.window, window.tryReserve() {
                    following = fetchPage(fetch, after: outline.next)
                }
                let items = Prefetch {
                    Result { () throws(SyncError) -> [PulledItem] in
                        let page = try Self.decodeOK(response, PullPage.decode)
                        // The next page was asked for from the outline: the
                        // page must say the same, or nothing of it is taken.
                        guard page.next == outline.next, page.more == outline.more else {
                            throw SyncError.badResponse(
                                tr(
                                    "the hub's page ends in two ways (next \(page.next) or \(outline.next))",
                                    zh: "区平台发来的一页有两种结尾（next \(page.next) 或 \(outline.next)）"))
                        }
                        return Self.prepare(page, schema: fetch.schema, station: fetch.station)
                    }
                }
                return FetchedPage(
                    response: response, next: outline.next, more: outline.more, seconds: seconds, items: items,
                    following: following)
            }
        }
    }

    /// Where the page after `body` starts, without decoding its entities:
    /// read from its end as the hub writes it (`…],"next":"N","more":true}`),
    /// else with the entities only skipped over. Anything amiss is left to
    /// `PullPage.decode` to name.
    private static func outline(_ body: [UInt8]) throws -> (next: Int64, more: Bool) {
        if let found = ending(body) { return found }
        let found = try? JSONReader.read(body) { reader -> (Int64, Bool)? in
            try reader.beginObject("page")
            var (next, more): (Int64?, Bool) = (nil, false)
            var first = true
            while let key = try reader.nextKey(&first) {
                switch key {
                case "next": next = Int64(try reader.readString(key))
                case "more": more = try reader.readBool(key)
                default: try reader.skipStructure()
                }
            }
            guard let next, next >= 0 else { return nil }
            return (next, more)
        }
        if let found { return found }
        let page = try PullPage.decode(body)
        return (page.next, page.more)
    }

    /// The cursor and `more` of a page ending exactly as `PullPage.encode`
    /// ends it, or nil.
    private static func ending(_ body: [UInt8]) -> (next: Int64, more: Bool)? {
        var end = body.count
        while end > 0, body[end - 1] == 0x20 || body[end - 1] == 0x0A || body[end - 1] == 0x0D || body[end - 1] == 0x09
        {
            end -= 1
        }
        func ends(_ suffix: StaticString, at position: Int) -> Bool {
            let count = suffix.utf8CodeUnitCount
            guard position >= count else { return false }
            return suffix.withUTF8Buffer { body[(position - count)..<position].elementsEqual($0) }
        }
        let (yes, no): (StaticString, StaticString) = ("\",\"more\":true}", "\",\"more\":false}")
        let more: Bool
        var at: Int
        if ends(yes, at: end) {
            (more, at) = (true, end - yes.utf8CodeUnitCount)
        } else if ends(no, at: end) {
            (more, at) = (false, end - no.utf8CodeUnitCount)
        } else {
            return nil
        }
        var next: Int64 = 0
        var scale: Int64 = 1
        let last = at
        while at > 0, body[at - 1] >= 48, body[at - 1] <= 57, last - at < 18 {
            next += Int64(body[at - 1] - 48) * scale
            scale *= 10
            at -= 1
        }
        guard at < last, ends("],\"next\":\"", at: at) else { return nil }
        return (next, more)
    }

    /// Each entity of a page checked, with its stored form.
    private static func prepare(_ page: PullPage, schema: EntitySchema, station: String) -> [PulledItem] {
        zip(page.entities, page.canonicalBytes).map { item, canonical -> PulledItem in
            switch item {
            case .failure(let error):
                return .refused(
                    SyncReport.Failure(
                        kind: nil, id: nil,
                        reason: tr("hub sent an unreadable entity: \(error)", zh: "区平台发来无法读取的条目：\(error)")))
            case .success(let state):
                do throws(ValidationError) {
                    guard state.station == station else {
                        throw ValidationError(
                            field: "station",
                            tr(
                                "belongs to station \(state.station), not this one",
                                zh: "属于卫生站 \(state.station)，不属于本卫生站"))
                    }
                    try schema.validate(state)
                    // Usually the bytes as sent: the hub sends what it stores.
                    return .ready(state, StoredForm(state, canonical: canonical))
                } catch {
                    return .refused(
                        SyncReport.Failure(kind: state.kind.rawValue, id: state.id, reason: String(describing: error)))
                }
            }
        }
    }

    /// Pulls pages sized to the link (`LinkPacer`), each merged in the
    /// transaction that moves the cursor. While one page is merged, the
    /// next is decoded and checked, and on a fast link the one after it is
    /// served (`PageWindow`).
    public func pull() throws {
        let cursor = try store.pullCursor()
        let started = monotonicSeconds()
        var done = 0
        let window = PageWindow()
        var pending: Prefetch<Result<FetchedPage, SyncError>>? = fetchPage(after: cursor, window: window)
        // Pages fetched ahead are not left running when this returns.
        defer {
            while let page = pending {
                pending = nil
                if case .success(let fetched) = page.wait() {
                    _ = fetched.items.wait()
                    pending = fetched.following
                }
            }
        }
        while let inFlight = pending {
            let page = try inFlight.wait().get()
            window.taken()
            count(page.response)
            pending = page.following
            let items = try page.items.wait().get()
            pacer.observePull(entities: items.count, received: page.response.bytesReceived, seconds: page.seconds)
            // The next page is read only; its cursor moves only after this
            // page is merged, in the same transaction.
            if pending == nil && page.more { pending = fetchPage(after: page.next, window: window) }
            try store.writeTransaction {
                for item in items {
                    report.pulled += 1
                    switch item {
                    case .refused(let failure):
                        report.failures.append(failure)
                    case .ready(let state, let form):
                        do {
                            // With its stored form, a state of an entity this
                            // node lacks goes in without a lookup first.
                            if case .stored(let newConflict) = try store.merge(state, from: .hub, form: form) {
                                report.merged += 1
                                if newConflict { report.conflicts += 1 }
                            }
                        } catch {
                            report.failures.append(
                                SyncReport.Failure(
                                    kind: state.kind.rawValue, id: state.id, reason: String(describing: error)))
                        }
                    }
                }
                try store.setPullCursor(page.next)
            }
            done += items.count
            progress?(
                SyncProgress(
                    phase: .pull, done: done, total: nil, bytes: report.bytesReceived,
                    elapsed: monotonicSeconds() - started))
            // Thousands of decoded states: freed on another thread, not the
            // one the next page waits for.
            let merged = (page, items)
            DispatchQueue.global().async { withExtendedLifetime(merged) {} }
        }
    }

    // MARK: - HTTP

    /// Adds one answered request to the report.
    func count(_ response: HTTPClient.Response) {
        report.requests += 1
        report.bytesSent += response.bytesSent
        report.bytesReceived += response.bytesReceived
    }

    func makeRequest(method: String, path: String, body: [UInt8]?) -> HTTPClient.Request {
        var headers = ["Authorization": "Bearer \(options.token)", "Accept": "application/json"]
        var payload = body
        if let body {
            headers["Content-Type"] = "application/json"
            if options.gzip {
                // Level 1 on a fast link: a quarter of level 6's CPU for a
                // body about 20% larger (81 vs 67 bytes a record), still a
                // quarter of plain JSON. Level 9 on a slow one, where bytes
                // cost seconds and a batch is compressed while the one before
                // crosses.
                payload = Gzip.compress(body, level: pacer.gzipLevel)
                headers["Content-Encoding"] = "gzip"
            }
        }
        return HTTPClient.Request(method: method, url: options.hubURL + path, headers: headers, body: payload)
    }

    /// The body of a 200 answer, decoded; any other answer as the error it means.
    static func decodeOK<T>(_ response: HTTPClient.Response, _ decode: ([UInt8]) throws -> T) throws(SyncError)
        -> T
    {
        guard response.status == 200 else {
            if response.status == 401 { throw SyncError.unauthorized(errorMessage(response.body)) }
            throw SyncError.hubRefused(status: response.status, message: errorMessage(response.body))
        }
        do {
            return try decode(response.body)
        } catch {
            throw SyncError.badResponse(String(describing: error))
        }
    }

    /// The `error` field of a JSON error body, or the start of the body.
    static func errorMessage(_ body: [UInt8]) -> String {
        let found = try? JSONReader.read(body) { reader -> String? in
            try reader.beginObject("error")
            var first = true
            while let key = try reader.nextKey(&first) {
                if key == "error" { return try reader.readString("error") }
                try reader.skipValue(depth: 1)
            }
            return nil
        }
        if let message = found {
            return message
        }
        return String(decoding: body.prefix(200), as: UTF8.self)
    }
}
