import Hummingbird
import SyncCore

/// Request context with the hub's upload limit (Hummingbird's default is 2 MiB).
struct HubRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage

    init(source: Source) {
        coreContext = .init(source: source)
    }

    var maxUploadSize: Int { SyncProtocol.maxBodyBytes }
}
