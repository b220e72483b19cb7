import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real `hub serve` process, which the fault tests kill with SIGKILL and restart.
final class HubProcess {
    let databasePath: String
    /// PEM files for `--tls-cert` and `--tls-key`; nil serves plain HTTP.
    let tls: (certificate: String, key: String)?
    private(set) var port = 0
    /// The line `hub serve` printed once it listened.
    private(set) var listeningLine = ""
    private var process: Process?
    /// Where the process's standard error goes, across restarts: what a
    /// test that fails on this hub prints (`errorLog`).
    private let errorLogPath = NSTemporaryDirectory() + "hub-\(UUID().uuidString).log"

    init(databasePath: String, tls: (certificate: String, key: String)? = nil) {
        self.databasePath = databasePath
        self.tls = tls
        _ = FileManager.default.createFile(atPath: errorLogPath, contents: nil)
    }

    deinit { try? FileManager.default.removeItem(atPath: errorLogPath) }

    /// What the hub wrote to standard error so far (its log: never record
    /// contents), the last 4 KB, for a failing test's message.
    var errorLog: String {
        let data = FileManager.default.contents(atPath: errorLogPath) ?? Data()
        return String(decoding: data.suffix(4096), as: UTF8.self)
    }

    var url: String { "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)" }

    /// Starts the hub (on the port it had before, after the first start) and
    /// waits for its `listening on` line.
    func start() throws {
        let process = Process()
        process.executableURL = CommandRunner.productsFolder.appendingPathComponent("hub")
        process.arguments =
            ["serve", "--db", databasePath, "--port", String(port)]
            + (tls.map { ["--tls-cert", $0.certificate, "--tls-key", $0.key] } ?? [])
        let out = Pipe()
        process.standardOutput = out
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: errorLogPath))
        log.seekToEndOfFile()
        process.standardError = log
        try process.run()
        try log.close()
        self.process = process
        var buffer = Data()
        let handle = out.fileHandleForReading
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { throw POSIXError(.EIO) }
            buffer += chunk
        }
        let line = String(decoding: buffer, as: UTF8.self)
        listeningLine = String(line.prefix { $0 != "\n" })
        guard let range = line.range(of: "127.0.0.1:"),
            let value = Int(line[range.upperBound...].prefix { $0.isNumber })
        else {
            throw POSIXError(.EPROTO)
        }
        port = value
    }

    /// `count` processes serving the database at `databasePath`, each
    /// started; if one fails to start, those started are stopped.
    static func started(_ count: Int, databasePath: String) throws -> [HubProcess] {
        var hubs: [HubProcess] = []
        do {
            for _ in 0..<count {
                let hub = HubProcess(databasePath: databasePath)
                try hub.start()
                hubs.append(hub)
            }
        } catch {
            for hub in hubs { hub.stop() }
            throw error
        }
        return hubs
    }

    /// SIGKILL: no chance to flush or clean up, as in a power cut of the process.
    func kill() {
        guard let process else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    func stop() {
        guard let process else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }
}
