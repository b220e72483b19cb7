import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP proxy on loopback that forwards to the hub and, once armed, cuts
/// the connection after a number of bytes in one direction: a link that
/// drops mid-request or mid-response.
final class CuttingProxy: Sendable {
    enum Direction: Sendable { case request, response }

    struct State {
        var cutAfter: Int?
        var direction: Direction = .request
        var forwarded = 0
        var cuts = 0
        /// After a cut the link stays down (new connections are closed at
        /// once) until `restore()`: libcurl would otherwise quietly re-send on
        /// a fresh connection.
        var down = false
        /// Hold the next response this long before forwarding it.
        var delayNext: Double = 0
        var delays = 0
    }

    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    private let state = Mutex(State())

    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Cuts the next connection that carries more than `bytes` bytes in `direction`.
    func arm(cutAfter bytes: Int, direction: Direction) {
        state.withLock {
            $0.cutAfter = bytes
            $0.direction = direction
            $0.forwarded = 0
        }
    }

    var cuts: Int { state.withLock { $0.cuts } }

    /// Holds the next response back for `seconds`: a hub that answers too late.
    func delayNextResponse(seconds: Double) {
        state.withLock { $0.delayNext = seconds }
    }

    var delays: Int { state.withLock { $0.delays } }

    /// Brings the link back up after a cut.
    func restore() {
        state.withLock { $0.down = false }
    }

    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            if state.withLock({ $0.down }) {
                Glibc.close(client)
                continue
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(upstreamPort).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                Glibc.close(client)
                Glibc.close(upstream)
                continue
            }
            Thread { [self] in pump(from: client, to: upstream, direction: .request, peer: upstream) }.start()
            Thread { [self] in pump(from: upstream, to: client, direction: .response, peer: client) }.start()
        }
    }

    private func pump(from source: Int32, to destination: Int32, direction: Direction, peer: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            if direction == .response {
                let delay: Double = state.withLock { state in
                    defer { state.delayNext = 0 }
                    if state.delayNext > 0 { state.delays += 1 }
                    return state.delayNext
                }
                if delay > 0 { usleep(UInt32(delay * 1_000_000)) }
            }
            var allowed = count
            let cut: Bool = state.withLock { state in
                guard let limit = state.cutAfter, state.direction == direction else { return false }
                if state.forwarded + count > limit {
                    allowed = max(0, limit - state.forwarded)
                    state.cutAfter = nil
                    state.cuts += 1
                    state.down = true
                    return true
                }
                state.forwarded += count
                return false
            }
            if allowed > 0 {
                _ = buffer.withUnsafeBytes { send(destination, $0.baseAddress, allowed, Int32(MSG_NOSIGNAL)) }
            }
            if cut { break }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
    }
}
