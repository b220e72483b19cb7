import Foundation
import SyncModel
import SyncStore
import SyncSupport

/// How a sync session reaches its hub: one request in, its answer or why
/// there is none out. Called from several threads at once.
package protocol SyncTransport: Sendable {
    func send(_ request: HTTPClient.Request) -> Result<HTTPClient.Response, SyncError>
}

/// libcurl clients for a sync's requests in flight: each request takes a
/// client, uses it on one thread, and gives it back.
final class ClientPool: SyncTransport, @unchecked Sendable {
    // @unchecked: `idle` is only touched under `lock`, and a client taken out
    // of it is used by one thread until it is put back.
    private let lock = NSLock()
    private var idle: [HTTPClient]
    private let configuration: HTTPClientConfiguration

    init(first: HTTPClient) {
        idle = [first]
        configuration = first.configuration
    }

    /// Sends `request` on an idle client (a new one if none is idle).
    func send(_ request: HTTPClient.Request) -> Result<HTTPClient.Response, SyncError> {
        let client: HTTPClient
        do {
            client = try lock.withLock { idle.popLast() } ?? HTTPClient(configuration: configuration)
        } catch {
            return .failure(.notConfigured(tr("libcurl could not start: \(error)", zh: "libcurl 无法启动：\(error)")))
        }
        defer { lock.withLock { idle.append(client) } }
        do {
            return .success(try client.send(request))
        } catch let error as HTTPClientError {
            return .failure(.unreachable(error))
        } catch {
            return .failure(.badResponse(String(describing: error)))
        }
    }
}

/// Answers that came back, waiting to be applied on the store's thread.
final class FlightDeck<Flight: Sendable>: @unchecked Sendable {
    // @unchecked: `landed` is only touched under `lock`.
    private let lock = NSLock()
    private var landed: [Flight] = []

    func add(_ flight: Flight) { lock.withLock { landed.append(flight) } }

    func takeAll() -> [Flight] {
        lock.withLock {
            defer { landed = [] }
            return landed
        }
    }
}
