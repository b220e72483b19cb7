import Foundation
import Synchronization
import HubCore
import OperatorCommands
import Reporting
import SyncClient
import SyncModel
import SyncStore
import SyncSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The release binaries next to this one.
enum Products {
    static let folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent()

    static func url(_ name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw BenchError("\(url.path) is missing: build it first (swift build -c release)")
        }
        return url
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a child to completion; returns its stdout and its peak resident set
/// in MB. The peak is polled from the child's own /proc entry once it runs its
/// binary: RUSAGE_CHILDREN would count the moment after fork, when the child
/// still shares this (large) process's memory.
@discardableResult
func runChild(_ name: String, _ arguments: [String]) throws -> (output: String, peakMB: Double) {
    let process = Process()
    let executable = try Products.url(name)
    process.executableURL = executable
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let peak = Mutex(0.0)
    let pid = process.processIdentifier
    let poller = Thread {
        while process.isRunning {
            let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) ?? ""
            if exe.hasSuffix("/" + name) {
                let value = vmHWM(pid)
                peak.withLock { $0 = max($0, value) }
            }
            usleep(2_000)
        }
    }
    poller.start()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: data, as: UTF8.self), peak.withLock { $0 })
}

/// A process's peak resident set so far, in MB (VmHWM in /proc/PID/status).
func vmHWM(_ pid: Int32) -> Double {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
}

/// A `hub serve` child on a free port.
final class HubChild {
    let process = Process()
    let port: Int

    /// `password`: a PostgreSQL password, passed in `PGPASSWORD` as an
    /// operator would; `port` 0 picks a free one.
    init(database: String, password: String? = nil, port: Int = 0) throws {
        process.executableURL = try Products.url("hub")
        process.arguments = ["serve", "--db", database, "--port", String(port)]
        if let password {
            var environment = ProcessInfo.processInfo.environment
            environment["PGPASSWORD"] = password
            process.environment = environment
        }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw BenchError("the hub did not start") }
            buffer += chunk
        }
        let line = String(decoding: buffer, as: UTF8.self)
        guard let range = line.range(of: "127.0.0.1:"),
            let port = Int(line[range.upperBound...].prefix(while: \.isNumber))
        else {
            throw BenchError("unexpected hub output: \(line)")
        }
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The hub's peak resident set so far, in MB (VmHWM).
    var peakRSS: Double { vmHWM(process.processIdentifier) }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// SIGKILL: no chance to finish a commit or answer, as in a crash.
    func kill() {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// A loopback HTTP endpoint that reads a request body and answers 200: the
/// receiving end of the naive "upload the whole database file" alternative.
final class UploadSink: @unchecked Sendable {
    // @unchecked: the socket is set once; the accept thread only reads it.
    let port: Int
    private let listener: Int32

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        listen(listener, 16)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in serve() }.start()
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var head: [UInt8] = []
            var remaining: Int?
            while remaining.map({ $0 > 0 }) ?? true {
                let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                if let left = remaining {
                    remaining = left - count
                    continue
                }
                head += buffer[0..<count]
                let text = String(decoding: head, as: UTF8.self)
                guard let end = text.range(of: "\r\n\r\n") else { continue }
                let length =
                    text[..<end.lowerBound].lowercased().split(separator: "\r\n")
                    .first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                remaining = length - (head.count - text[..<end.upperBound].utf8.count)
            }
            let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
            _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(client)
        }
    }
}
