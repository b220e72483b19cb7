import HubCore
import Hummingbird
import SyncModel
import SyncSupport

/// A refusal as the hub answers it over HTTP: a status and a JSON body
/// `{"error": "…"}` with a message a person can act on. The one place where
/// the hub's domain errors become HTTP statuses.
struct HubHTTPError: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    init(_ failure: HubFailure) {
        self.init(Self.status(of: failure), failure.message)
    }

    static func status(of failure: HubFailure) -> HTTPResponse.Status {
        switch failure {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .alreadyExists: .conflict
        case .tooLarge: .contentTooLarge
        case .invalid: .unprocessableContent
        }
    }

    /// The status a refused entity carries in a push answer (docs/protocol.md).
    static func status(of cause: PushRejection.Cause?) -> HTTPResponse.Status {
        switch cause {
        case .forbidden: .forbidden
        case .invalid, nil: .unprocessableContent
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        HubResponse.json(status, JSONValue.object([("error", .string(message))]).encoded())
    }
}

/// JSON answers, gzipped when the client accepts it and the body is worth it.
enum HubResponse {
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

    static func acceptsGzip(_ request: Request) -> Bool {
        request.headers[.acceptEncoding]?.contains("gzip") ?? false
    }
}
