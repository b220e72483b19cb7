import Hummingbird
import Logging
import SyncCore

/// The sync endpoints: health, push, pull. Every sync request is
/// authenticated; errors are JSON with a message a person can act on.
struct HubRoutes: Sendable {
    let database: HubDatabase
    let logger: Logger

    func register(on router: Router<HubRequestContext>) {
        router.get("/v1/health") { _, _ in
            Self.json(.ok, Array(#"{"status":"ok"}"#.utf8))
        }
        router.post("/v1/push") { request, context in
            await handle(request, context, name: "push") { station in
                let body = try await readBody(request)
                // Decoding and field checks need no database: done here, in
                // parallel with whatever the database queue is committing.
                let prepared = try HubStore.prepare(body, schema: database.schema)
                let result = try await database.run { try $0.push(station: station, prepared: prepared) }
                // Freeing thousands of decoded states took a tenth of the
                // database thread's time: keep them until here, so they are
                // freed on this thread instead.
                withExtendedLifetime(prepared) {}
                logger.info("push", metadata: [
                    "station": .string(station), "accepted": .stringConvertible(result.accepted),
                    "stored": .stringConvertible(result.stored), "rejected": .stringConvertible(result.rejected.count),
                ])
                let total = result.accepted + result.rejected.count
                if total > 0, result.accepted == 0, let first = result.rejected.first {
                    let message = result.rejected.count == 1 ? first.reason : "every entity was refused; the first: \(first.reason)"
                    return (first.status, result.encoded(error: message))
                }
                return (200, result.encoded())
            }
        }
        router.get("/v1/pull") { request, context in
            await handle(request, context, name: "pull") { station in
                let query = request.uri.queryParameters
                guard let since = Int64(query["since"].map(String.init) ?? "0"), since >= 0 else {
                    throw HubError.badRequest("since must be a cursor from an earlier pull (a whole number ≥ 0)")
                }
                var limit = SyncProtocol.defaultPullLimit
                if let text = query["limit"] {
                    guard let value = Int(text), (1...SyncProtocol.maxPullLimit).contains(value) else {
                        throw HubError.badRequest("limit must be a whole number from 1 to \(SyncProtocol.maxPullLimit)")
                    }
                    limit = value
                }
                guard let node = query["node"].map(String.init) else {
                    throw HubError.badRequest("node is required: the id of the node that pulls")
                }
                do { try Identifiers.validateNode(node) } catch { throw HubError.badRequest(String(describing: error)) }
                let pageLimit = limit
                let body = try await database.run { try $0.pull(station: station, node: node, since: since, limit: pageLimit) }
                return (200, body)
            }
        }
    }

    /// Authenticates, runs `body`, and renders its result or error as JSON.
    private func handle(
        _ request: Request, _ context: HubRequestContext, name: String,
        _ body: @escaping @Sendable (String) async throws -> (Int, [UInt8])
    ) async -> Response {
        do {
            let station = try await authenticate(request)
            let (status, bytes) = try await body(station)
            return Self.json(HTTPResponse.Status(code: status), bytes, acceptsGzip: Self.acceptsGzip(request))
        } catch let error as HubError {
            logger.notice("\(name) refused", metadata: ["status": .stringConvertible(error.status)])
            return Self.error(error.status, error.message)
        } catch {
            logger.error("\(name) failed", metadata: ["error": .string(String(describing: type(of: error)))])
            return Self.error(500, "the hub could not complete the request; it is safe to retry")
        }
    }

    private func authenticate(_ request: Request) async throws -> String {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw HubError.unauthorized("missing Authorization: Bearer TOKEN header")
        }
        let token = String(header.dropFirst("Bearer ".count))
        return try await database.run { try $0.authenticate(token: token) }
    }

    /// The request body, un-gzipped when sent so, within the hub's limits.
    private func readBody(_ request: Request) async throws -> [UInt8] {
        var buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: SyncProtocol.maxBodyBytes)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw HubError.tooLarge("the body is larger than \(SyncProtocol.maxBodyBytes) bytes: send smaller batches")
        }
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        switch request.headers[.contentEncoding]?.lowercased() {
        case nil, "identity":
            return bytes
        case "gzip":
            do {
                return try Gzip.decompress(bytes, limit: SyncProtocol.maxInflatedBytes)
            } catch .tooLarge {
                throw HubError.tooLarge("the body inflates to more than \(SyncProtocol.maxInflatedBytes) bytes: send smaller batches")
            } catch {
                throw HubError.badRequest("the body is not valid gzip: \(error.description)")
            }
        case let other?:
            throw HubError(status: 415, "Content-Encoding \(other.prefix(20)) is not supported: send gzip or plain JSON")
        }
    }

    private static func acceptsGzip(_ request: Request) -> Bool {
        request.headers[.acceptEncoding]?.contains("gzip") ?? false
    }

    static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8], acceptsGzip: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        var body = bytes
        if acceptsGzip && bytes.count > 1024 {
            // Level 1: most of level 6's ratio on these bodies at a fraction of its CPU.
            body = Gzip.compress(bytes, level: 1)
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func error(_ status: Int, _ message: String) -> Response {
        var writer = JSONWriter()
        writer.raw("{\"error\":")
        writer.string(message)
        writer.raw("}")
        return json(HTTPResponse.Status(code: status), writer.bytes)
    }
}
