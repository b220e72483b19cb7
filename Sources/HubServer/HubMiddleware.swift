import HubCore
import Hummingbird
import Logging
import SyncModel
import SyncStorePostgres

/// Turns every failure below it into a JSON answer: the hub's refusals with
/// their status, anything unexpected as a 500 that says retrying is safe.
/// Logs the kind of failure, never a body.
struct HubErrorMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let logger: Logger
    /// What a 503 asks for: PostgreSQL restarts in about a second.
    static let retryAfterSeconds = 2

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let failure as HubFailure {
            return try refused(HubHTTPError(failure), request, context)
        } catch let error as HubHTTPError {
            return try refused(error, request, context)
        } catch let error as HTTPResponseError {
            // Hummingbird's own refusals (an unknown path, a wrong method) get
            // the same JSON body as ours.
            let message =
                error.status == .notFound
                ? tr(
                    "no such endpoint: \(request.method) \(request.uri.path); the sync API is POST /v1/session, POST /v1/push, GET /v1/pull and GET /v1/health",
                    zh:
                        "没有这个接口：\(request.method) \(request.uri.path)；同步接口是 POST /v1/session、POST /v1/push、GET /v1/pull 和 GET /v1/health"
                )
                : tr(
                    "the request was refused: \(error.status.code) \(error.status.reasonPhrase)",
                    zh: "请求被拒绝：\(error.status.code) \(error.status.reasonPhrase)")
            return try refused(HubHTTPError(error.status, message), request, context)
        } catch let error as PostgresStoreError where error.isOutage {
            // Not a failure of this request: the database is away (restarting,
            // failing over). 503 and Retry-After tell the station to try
            // again in a moment, which it does within the same sync.
            // The error names our SQL and the server's message, never a bound value.
            logger.warning(
                "\(request.uri.path) answered 503: the database is away",
                metadata: ["error": .string(error.description)])
            var response = try HubHTTPError(
                .serviceUnavailable,
                tr(
                    "the hub's database cannot be reached right now; try again in a moment",
                    zh: "区平台的数据库暂时无法连接；请稍后重试")
            )
            .response(from: request, context: context)
            response.headers[.retryAfter] = String(Self.retryAfterSeconds)
            return response
        } catch {
            logger.error(
                "\(request.uri.path) failed", metadata: ["error": .string(String(describing: type(of: error)))])
            return try HubHTTPError(
                .internalServerError,
                tr("the hub could not complete the request; it is safe to retry", zh: "区平台未能完成这次请求；可以放心重试")
            )
            .response(from: request, context: context)
        }
    }

    private func refused(_ error: HubHTTPError, _ request: Request, _ context: Context) throws -> Response {
        logger.notice("\(request.uri.path) refused", metadata: ["status": .stringConvertible(error.status.code)])
        return try error.response(from: request, context: context)
    }
}

/// Authenticates the bearer token of every request it guards and records
/// the station in the context.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let database: HubDatabase

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw HubHTTPError(
                .unauthorized,
                tr("missing Authorization: Bearer TOKEN header", zh: "缺少 Authorization: Bearer TOKEN 请求头"))
        }
        let token = String(header.dropFirst("Bearer ".count))
        var context = context
        context.station = try await database.authenticate(token: token)
        return try await next(request, context)
    }
}
