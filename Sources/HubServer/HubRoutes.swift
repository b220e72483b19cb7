import Dispatch
import HubCore
import Hummingbird
import Logging
import SyncModel
import SyncSupport

/// The sync endpoints: health, push, pull (docs/protocol.md). Every sync
/// request is authenticated by `BearerAuthMiddleware`; refusals become JSON
/// answers in `HubErrorMiddleware`.
struct HubRoutes: Sendable {
    let database: HubDatabase
    let logger: Logger

    func register(on router: Router<HubRequestContext>) {
        router.add(middleware: HubErrorMiddleware(logger: logger))
        router.get("/v1/health") { _, _ in
            HubResponse.json(.ok, Array(#"{"status":"ok"}"#.utf8))
        }
        let sync = router.group("/v1").add(middleware: BearerAuthMiddleware(database: database))
        let lane = HubPushLane(database: database)
        sync.post("push") { request, context in
            try await push(request, station: context.authenticatedStation(), lane: lane)
        }
        sync.get("pull") { request, context in
            try await pull(request, station: context.authenticatedStation())
        }
        sync.post("session") { request, context in
            try await session(request, station: context.authenticatedStation())
        }
        sync.post("submit") { request, context in
            try await submit(request, station: context.authenticatedStation())
        }
    }

    /// A station submits a month (`station report submit`): `{"period":"2026-10","explanation":…}`.
    private func submit(_ request: Request, station: String) async throws -> Response {
        let body = try await readBody(request)
        let submission: SubmitRequest
        do {
            submission = try SubmitRequest.decode(body)
        } catch {
            throw HubFailure.badRequest(
                tr("the submission is not valid: \(error)", zh: "提交内容无效：\(error)"))
        }
        try await database.run {
            try $0.submit(station: station, period: submission.period, explanation: submission.explanation)
        }
        logger.info(
            "submit", metadata: ["station": .string(station), "period": .string(submission.period.description)])
        return HubResponse.json(.ok, Array(#"{"status":"submitted"}"#.utf8))
    }

    private func push(_ request: Request, station: String, lane: HubPushLane) async throws -> Response {
        let (bytes, encoding) = try await collectBody(request)
        // Inflating, decoding and field checks need no database: done in
        // parallel with whatever the database queue is committing, on a
        // thread of their own. On Swift's cooperative pool (two threads
        // here) two pushes being decoded held it whole, and the next
        // request waited there to be read.
        let schema = database.schema
        let prepared = try await Self.offThePool {
            try HubService.prepare(Self.inflate(bytes, encoding: encoding), schema: schema)
        }
        let result = try await lane.push(station: station, prepared: prepared)
        // Freeing thousands of decoded states took a tenth of the database
        // thread's time: not there, nor on the cooperative pool.
        DispatchQueue.global().async { withExtendedLifetime(prepared) {} }
        logger.info(
            "push",
            metadata: [
                "station": .string(station), "accepted": .stringConvertible(result.accepted),
                "stored": .stringConvertible(result.stored), "rejected": .stringConvertible(result.rejected.count),
            ])
        let wireStatus = { (cause: PushRejection.Cause?) in HubHTTPError.status(of: cause).code }
        let total = result.accepted + result.rejected.count
        if total > 0, result.accepted == 0, let first = result.rejected.first {
            // Every entity refused: the answer's status says why, the body lists each.
            let message =
                result.rejected.count == 1
                ? first.reason
                : tr(
                    "every entity was refused; the first: \(first.reason)",
                    zh: "全部被拒收；第一条的原因：\(first.reason)")
            return HubResponse.json(
                HubHTTPError.status(of: first.cause), result.encoded(error: message, status: wireStatus))
        }
        return HubResponse.json(.ok, result.encoded(status: wireStatus))
    }

    private func session(_ request: Request, station: String) async throws -> Response {
        let body = try await readBody(request)
        let handshake: SessionRequest
        do {
            handshake = try SessionRequest.decode(body)
        } catch {
            throw HubFailure.badRequest(
                tr("the session body is not valid: \(error.description)", zh: "会话请求的内容无效：\(error.description)"))
        }
        let answer = try await database.run { try $0.session(station: station, handshake) }
        if !answer.nodeCurrent {
            logger.warning("a restored or copied node must take a new id", metadata: ["station": .string(station)])
        }
        if answer.rebase {
            logger.warning(
                "the hub went back in time (restored from a backup): the node sends everything it holds again",
                metadata: ["station": .string(station)])
        }
        return HubResponse.json(.ok, answer.encoded())
    }

    private func pull(_ request: Request, station: String) async throws -> Response {
        let query = request.uri.queryParameters
        guard let since = Int64(query["since"].map(String.init) ?? "0"), since >= 0 else {
            throw HubFailure.badRequest(
                tr(
                    "since must be a cursor from an earlier pull (a whole number ≥ 0)",
                    zh: "since 必须是之前下载返回的游标（≥ 0 的整数）"))
        }
        var limit = SyncProtocol.defaultPullLimit
        if let text = query["limit"] {
            guard let value = Int(text), (1...SyncProtocol.maxPullLimit).contains(value) else {
                throw HubFailure.badRequest(
                    tr(
                        "limit must be a whole number from 1 to \(SyncProtocol.maxPullLimit)",
                        zh: "limit 必须是 1 到 \(SyncProtocol.maxPullLimit) 之间的整数"))
            }
            limit = value
        }
        guard let node = query["node"].map(String.init) else {
            throw HubFailure.badRequest(
                tr("node is required: the id of the node that pulls", zh: "缺少 node：下载方节点的编号"))
        }
        do { try Identifiers.validateNode(node) } catch { throw HubFailure.badRequest(String(describing: error)) }
        let pageLimit = limit
        let body = try await database.read { try $0.pull(station: station, node: node, since: since, limit: pageLimit) }
        return HubResponse.json(.ok, body, acceptsGzip: HubResponse.acceptsGzip(request))
    }

    /// Runs CPU-bound work on a global queue and waits for it without
    /// holding a thread of the cooperative pool.
    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// The request body, un-gzipped when sent so, within the hub's limits.
    private func readBody(_ request: Request) async throws -> [UInt8] {
        let (bytes, encoding) = try await collectBody(request)
        return try Self.inflate(bytes, encoding: encoding)
    }

    /// The request body as it came, within the hub's limit, and its
    /// Content-Encoding.
    private func collectBody(_ request: Request) async throws -> (bytes: [UInt8], encoding: String?) {
        var buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: SyncProtocol.maxBodyBytes)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw HubFailure.tooLarge(
                tr(
                    "the body is larger than \(SyncProtocol.maxBodyBytes) bytes: send smaller batches",
                    zh: "请求内容超过 \(SyncProtocol.maxBodyBytes) 字节：请分成更小的批次发送"))
        }
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        return (bytes, request.headers[.contentEncoding]?.lowercased())
    }

    /// A body un-gzipped when sent so, within the hub's limits.
    private static func inflate(_ bytes: [UInt8], encoding: String?) throws -> [UInt8] {
        switch encoding {
        case nil, "identity":
            return bytes
        case "gzip":
            do {
                return try Gzip.decompress(bytes, limit: SyncProtocol.maxInflatedBytes)
            } catch .tooLarge {
                throw HubFailure.tooLarge(
                    tr(
                        "the body inflates to more than \(SyncProtocol.maxInflatedBytes) bytes: send smaller batches",
                        zh: "请求内容解压后超过 \(SyncProtocol.maxInflatedBytes) 字节：请分成更小的批次发送"))
            } catch {
                throw HubFailure.badRequest(
                    tr("the body is not valid gzip: \(error.description)", zh: "请求内容不是有效的 gzip：\(error.description)"))
            }
        case let other?:
            throw HubHTTPError(
                .unsupportedMediaType,
                tr(
                    "Content-Encoding \(other.prefix(20)) is not supported: send gzip or plain JSON",
                    zh: "不支持 Content-Encoding \(other.prefix(20))：请发送 gzip 或未压缩的 JSON"))
        }
    }
}
