import Foundation
import Synchronization
import Testing
@testable import SyncClient

#if canImport(Glibc)
    import Glibc
#endif

/// A hub that takes the connection and never answers (a hung process, a
/// captive portal): the client gives up after the stall timeout, says so,
/// and tries once more instead of waiting out timeout × attempts.
@Suite struct StalledHubTests {
    /// A loopback socket that listens and never accepts: the kernel completes
    /// the handshake, so the client is connected, and nothing ever answers.
    final class SilentListener {
        let socket: Int32
        let port: Int

        init() throws {
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
            }
            guard bound == 0, listen(socket, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(socket, $0, &length) }
            }
            self.socket = socket
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(socket) }
    }

    @Test func aHubThatNeverAnswersIsGivenUpAfterTheStallTimeoutAndTriedOnceMore() throws {
        let silent = try SilentListener()
        let retries = Mutex<[(String, Int, Int)]>([])
        var configuration = HTTPClientConfiguration()
        configuration.stallTimeout = 1
        configuration.baseDelay = 0.01
        configuration.onRetry = { reason, attempt, attempts in
            retries.withLock { $0.append((reason, attempt, attempts)) }
        }
        let client = try HTTPClient(configuration: configuration)
        let started = Date()
        #expect {
            _ = try client.send(
                HTTPClient.Request(method: "POST", url: "http://127.0.0.1:\(silent.port)/v1/session", body: [1]))
        } throws: { error in
            guard let error = error as? HTTPClientError else { return false }
            return error.stalled && error.message.contains("sent nothing for 1 s")
        }
        let elapsed = Date().timeIntervalSince(started)
        // Two attempts of about a second each, not four of two minutes.
        #expect(elapsed < 20, "took \(elapsed) s")
        let seen = retries.withLock { $0 }
        #expect(seen.count == 1)
        #expect(seen.first?.1 == 2 && seen.first?.2 == 2)
        #expect(seen.first?.0.contains("sent nothing") == true)
    }
}
