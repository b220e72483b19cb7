import Foundation
import SyncModel
import SyncStore
import SyncSupport

/// How a sync session reaches its hub: one request in, its answer or why
/// there is none out. Called from several threads at once.
package protocol SyncTransport: Sendable {
    func send(_ request: HTTPClient.Request) -> Result<HTTPClient.Response, SyncError>
    /// Sends `request` on a connection of its own, kept for the requests after.
    func sendOnNewConnection(_ request: HTTPClient.Request) -> Result<HTTPClient.Response, SyncError>
}

extension SyncTransport {
    package func sendOnNewConnection(_ request: HTTPClient.Request) -> Result<HTTPClient.Response, SyncError> {
        send(request)
    }
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
        send(request, fresh: false)
    }

    /// Sends `request` on a new client, which then joins the idle ones.
    func sendOnNewConnection(_ request: HTTPClient.Request) -> Result<HTTPClient.Response, SyncError> {
        send(request, fresh: true)
    }

    private func send(_ request: HTTPClient.Request, fresh: Bool) -> Result<HTTPClient.Response, SyncError> {
        let client: HTTPClient
        do {
            client = try (fresh ? nil : lock.withLock { idle.popLast() }) ?? HTTPClient(configuration: configuration)
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

/// Push batches in flight and the answers that came back, waiting to be
/// applied on the store's thread.
final class FlightDeck<Flight: Sendable>: @unchecked Sendable {
    // @unchecked: `landed` and `inFlight` are only touched under `condition`'s lock.
    private let condition = NSCondition()
    private var landed: [Flight] = []
    private var inFlight = 0

    /// One more request is on its way.
    func launch() {
        condition.lock()
        inFlight += 1
        condition.unlock()
    }

    /// A request's answer (or failure) is back.
    func add(_ flight: Flight) {
        condition.lock()
        landed.append(flight)
        inFlight -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until fewer than `depth` requests are in flight.
    func waitForRoom(depth: Int) {
        condition.lock()
        while inFlight >= max(1, depth) { condition.wait() }
        condition.unlock()
    }

    /// Blocks until fewer than `depth` requests are in flight and, while
    /// any is, until `deadline` (monotonic seconds) has passed.
    func waitForRoom(depth: Int, notBefore deadline: Double) {
        condition.lock()
        while inFlight >= max(1, depth) || inFlight > 0 && monotonicSeconds() < deadline {
            if inFlight >= max(1, depth) {
                condition.wait()
            } else {
                _ = condition.wait(until: Date(timeIntervalSinceNow: deadline - monotonicSeconds()))
            }
        }
        condition.unlock()
    }

    /// Blocks until no request is in flight.
    func waitUntilEmpty() {
        condition.lock()
        while inFlight > 0 { condition.wait() }
        condition.unlock()
    }

    func takeAll() -> [Flight] {
        condition.lock()
        defer {
            landed = []
            condition.unlock()
        }
        return landed
    }
}
