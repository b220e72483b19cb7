import Hummingbird
import SyncModel

/// Request context with the hub's upload limit (Hummingbird's default is
/// 2 MiB) and the station the bearer token authenticated.
struct HubRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by `BearerAuthMiddleware` before any sync route runs.
    var station: String?

    init(source: Source) {
        coreContext = .init(source: source)
    }

    var maxUploadSize: Int { SyncProtocol.maxBodyBytes }

    /// The authenticated station; routes behind the middleware always have one.
    func authenticatedStation() throws -> String {
        guard let station else {
            throw HubHTTPError(
                .unauthorized,
                tr("missing Authorization: Bearer TOKEN header", zh: "缺少 Authorization: Bearer TOKEN 请求头"))
        }
        return station
    }
}
