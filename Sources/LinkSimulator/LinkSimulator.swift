import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A poor network link on loopback: a TCP proxy on 127.0.0.1 and a random
/// port that forwards to a server on another loopback port, limiting the
/// bandwidth each way (shared by every connection, as one modem is), delaying
/// every chunk by the latency of its direction, and cutting every
/// connection on a schedule.
///
/// A new connection waits one round trip before its first byte goes out (the
/// TCP handshake a real link would cost). A cut closes both ends of every
/// open connection at once, as a modem that loses its carrier and resets:
/// the client learns of it at once rather than after a timeout, and bytes
/// still crossing are lost. What the link has carried is counted as it
/// arrives at the far end.
///
/// Threads and POSIX sockets: one thread accepts, two pump each connection
/// (one per direction), and one watches the clock for timed cuts.
public final class LinkSimulator: Sendable {
    /// Client to server (requests) or server to client (answers).
    public enum Direction: Int, Sendable {
        case up = 0
        case down = 1
    }

    /// What the link has carried and done so far.
    public struct Statistics: Sendable, Equatable {
        /// Bytes delivered to the server.
        public var bytesUp = 0
        /// Bytes delivered to the client.
        public var bytesDown = 0
        /// Connections forwarded.
        public var connections = 0
        public var cuts = 0
        /// Connections closed at once because the link was down.
        public var refused = 0

        /// Bytes delivered both ways.
        public var bytes: Int { bytesUp + bytesDown }
    }

    /// The port clients connect to.
    public let port: Int
    public let profile: LinkProfile
    private let upstreamPort: Int
    private let listener: Int32
    private let state = Mutex(State())

    private struct Connection {
        let client: Int32
        let server: Int32
        /// When it was accepted (monotonic seconds).
        let opened: Double
        var cut = false
        var pumpsDone = 0
    }

    private struct State {
        var statistics = Statistics()
        /// When the first connection came: the origin of timed cuts.
        var started: Double?
        /// The next trigger of the schedule to fire.
        var nextTrigger = 0
        /// Until when new connections are refused (infinity: until restore).
        var downUntil: Double?
        var connections: [Int: Connection] = [:]
        var nextID = 0
        /// When each direction's bottleneck is free for the next chunk.
        var linkFree: [Double] = [0, 0]
        var closed = false
    }

    /// Starts forwarding to `127.0.0.1:upstreamPort` through a link that behaves as `profile` says.
    public init(upstreamPort: Int, profile: LinkProfile) throws {
        self.upstreamPort = upstreamPort
        self.profile = profile
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 64) == 0 else {
            Glibc.close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in acceptLoop() }.start()
        if profile.cuts.triggers.contains(where: { if case .seconds = $0 { true } else { false } }) {
            Thread { [self] in clockLoop() }.start()
        }
    }

    /// What the link has carried and done so far.
    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Cuts every open connection now, as a scheduled cut would.
    public func cutNow() {
        state.withLock { cut(&$0, now: Self.now()) }
    }

    /// Brings the link back up after a cut.
    public func restore() {
        state.withLock { $0.downUntil = nil }
    }

    /// Stops accepting and closes every connection.
    public func close() {
        let already = state.withLock { state in
            defer { state.closed = true }
            for (id, _) in state.connections { Self.shutDown(&state.connections[id]!) }
            return state.closed
        }
        guard !already else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    // MARK: - Connections

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let now = Self.now()
            let refused: Bool = state.withLock { state in
                if state.closed { return true }
                if let until = state.downUntil {
                    if now < until {
                        state.statistics.refused += 1
                        return true
                    }
                    state.downUntil = nil
                }
                return false
            }
            if refused {
                Glibc.close(client)
                continue
            }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                Glibc.close(client)
                Glibc.close(server)
                continue
            }
            for socket in [client, server] {
                var on: Int32 = 1
                setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            }
            let id: Int = state.withLock { state in
                state.nextID += 1
                state.connections[state.nextID] = Connection(client: client, server: server, opened: now)
                state.statistics.connections += 1
                if state.started == nil { state.started = now }
                return state.nextID
            }
            Thread { [self] in pump(id, from: client, to: server, direction: .up, opened: now) }.start()
            Thread { [self] in pump(id, from: server, to: client, direction: .down, opened: now) }.start()
        }
    }

    /// Carries one direction of one connection: reads what arrives, gives
    /// each chunk its slot on the shared bottleneck plus the latency, and
    /// writes it out when its time comes.
    private func pump(_ id: Int, from source: Int32, to destination: Int32, direction: Direction, opened: Double) {
        defer { finished(id) }
        let bandwidth = direction == .up ? profile.upBytesPerSecond : profile.downBytesPerSecond
        let latency = direction == .up ? profile.upLatency : profile.downLatency
        // Small chunks on a slow link, so bytes arrive as a trickle, not in bursts.
        let chunkSize = bandwidth.map { min(16 << 10, max(256, $0 / 50)) } ?? (64 << 10)
        // What the link holds before it stops reading (a modem's buffer).
        let maxQueued = 64 << 10
        // The client's first byte leaves after the TCP handshake's round
        // trip: until then it is not read, and takes no share of the link.
        if direction == .up {
            while Self.now() < opened + profile.roundTrip {
                guard isOpen(id) else { return }
                usleep(UInt32(min(0.05, max(0, opened + profile.roundTrip - Self.now())) * 1_000_000))
            }
        }
        var queue: [(due: Double, bytes: [UInt8])] = []
        var head = 0
        var queued = 0
        var sourceOpen = true
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            guard isOpen(id) else { return }
            let now = Self.now()
            while head < queue.count, queue[head].due <= now {
                let chunk = queue[head].bytes
                head += 1
                queued -= chunk.count
                guard let admitted = admit(id, chunk.count, direction) else { return }
                let (allowed, cutAfter) = admitted
                if allowed > 0, !Self.sendAll(destination, chunk[0..<allowed]) {
                    shutdown(source, Int32(SHUT_RDWR))
                    return
                }
                if cutAfter {
                    state.withLock { cut(&$0, now: Self.now()) }
                    return
                }
            }
            if head > 256 {
                queue.removeFirst(head)
                head = 0
            }
            if !sourceOpen && head == queue.count {
                shutdown(destination, Int32(SHUT_WR))
                return
            }
            // Wait for input or the next chunk's time, whichever comes first;
            // at most 50 ms, to notice a cut.
            let wait = head < queue.count ? max(0, queue[head].due - now) : 0.05
            let milliseconds = Int32(min(50, (wait * 1000).rounded(.up)))
            guard sourceOpen && queued < maxQueued else {
                usleep(UInt32(milliseconds) * 1000)
                continue
            }
            var poller = pollfd(fd: source, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, milliseconds)
            guard ready > 0 else { continue }
            let room = maxQueued - queued
            let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, min($0.count, room), 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                sourceOpen = false
                continue
            }
            var offset = 0
            while offset < count {
                let size = min(chunkSize, count - offset)
                let due = reserve(direction, bytes: size, bandwidth: bandwidth, latency: latency)
                queue.append((due, Array(buffer[offset..<offset + size])))
                queued += size
                offset += size
            }
        }
    }

    /// The moment a chunk arrives at the far end: after the chunks before it
    /// on this direction's bottleneck, its own time on it, and the latency.
    private func reserve(_ direction: Direction, bytes: Int, bandwidth: Int?, latency: Double) -> Double {
        state.withLock { state in
            let start = max(Self.now(), state.linkFree[direction.rawValue])
            let end = start + (bandwidth.map { Double(bytes) / Double($0) } ?? 0)
            state.linkFree[direction.rawValue] = end
            return end + latency
        }
    }

    /// Counts a chunk as delivered. Returns how much of it goes out before
    /// a cut the schedule sets by bytes, and whether that cut comes right
    /// after; nil when the connection was cut meanwhile.
    private func admit(_ id: Int, _ bytes: Int, _ direction: Direction) -> (Int, Bool)? {
        state.withLock { state in
            guard state.connections[id]?.cut == false else { return nil }
            var allowed = bytes
            var cutAfter = false
            let triggers = profile.cuts.triggers
            if state.nextTrigger < triggers.count, case .bytes(let limit) = triggers[state.nextTrigger],
                state.statistics.bytes + bytes >= limit
            {
                allowed = max(0, limit - state.statistics.bytes)
                cutAfter = true
            }
            if direction == .up {
                state.statistics.bytesUp += allowed
            } else {
                state.statistics.bytesDown += allowed
            }
            return (allowed, cutAfter)
        }
    }

    private func isOpen(_ id: Int) -> Bool {
        state.withLock { $0.connections[id]?.cut == false }
    }

    /// One pump is done; the second closes the sockets, which no one uses
    /// any more (until then a cut may still shut them down).
    private func finished(_ id: Int) {
        state.withLock { state in
            guard var connection = state.connections[id] else { return }
            connection.pumpsDone += 1
            if connection.pumpsDone == 2 {
                Glibc.close(connection.client)
                Glibc.close(connection.server)
                state.connections[id] = nil
            } else {
                state.connections[id] = connection
            }
        }
    }

    // MARK: - Cuts

    /// Cuts every open connection, takes the link down for the downtime,
    /// and moves the schedule on. Called with the state locked.
    private func cut(_ state: inout State, now: Double) {
        guard !state.closed else { return }
        for (id, _) in state.connections { Self.shutDown(&state.connections[id]!) }
        state.statistics.cuts += 1
        if state.nextTrigger < profile.cuts.triggers.count { state.nextTrigger += 1 }
        state.downUntil = profile.downtime.map { now + $0 } ?? .infinity
        // What was queued is lost: the link is free again.
        state.linkFree = [now, now]
    }

    private static func shutDown(_ connection: inout Connection) {
        guard !connection.cut else { return }
        connection.cut = true
        shutdown(connection.client, Int32(SHUT_RDWR))
        shutdown(connection.server, Int32(SHUT_RDWR))
    }

    /// Fires the cuts the schedule sets by time.
    private func clockLoop() {
        while true {
            let pause: Double = state.withLock { state in
                if state.closed { return -1 }
                let triggers = profile.cuts.triggers
                guard state.nextTrigger < triggers.count else { return -1 }
                guard case .seconds(let at) = triggers[state.nextTrigger] else { return 0.01 }
                guard let started = state.started else { return 0.01 }
                let now = Self.now()
                if now - started >= at {
                    cut(&state, now: now)
                    return 0
                }
                return min(0.01, at - (now - started))
            }
            if pause < 0 { return }
            if pause > 0 { usleep(UInt32(pause * 1_000_000)) }
        }
    }

    // MARK: - System

    private static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }

    /// Writes all of `bytes`; false when the socket is gone.
    private static func sendAll(_ socket: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let sent = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}
