import Foundation

#if canImport(Glibc)
    import Glibc
#endif
import SyncStorePostgres

/// A PostgreSQL cluster of one test's own, for faults that would disturb
/// every other test on the shared one: a restart, a crash. Made with the
/// binaries `scripts/postgres-test.sh` found (`HEALTH_SYNC_POSTGRES_BIN`),
/// run as the postgres OS user (the tests run as root, as CI does) (PostgreSQL refuses root), on loopback and a
/// free port. Its role and database have the shared cluster's names and
/// password, so `hub` children that inherit `PGPASSWORD` log in to either.
/// Blocks: use it from a thread of its own.
package final class PrivatePostgresCluster {
    package let location: PostgresLocation
    private let folder: String
    private let bin: String
    /// The server, a direct child (not daemonised by `pg_ctl`: Foundation
    /// learns that a child ended when every holder of a descriptor it
    /// inherited has closed it, and a daemon would hold it for ever).
    private var server: Process?

    package init() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let bin = environment["HEALTH_SYNC_POSTGRES_BIN"], !bin.isEmpty else { throw MissingTestCluster() }
        let shared = try testLocation()
        self.bin = bin
        folder = NSTemporaryDirectory() + "health-sync-private-pg-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try Self.run("/usr/bin/chown", ["postgres:", folder])
        try Self.run(
            "/usr/sbin/runuser",
            [
                "-u", "postgres", "--", bin + "/initdb", "-D", folder + "/data", "-U", "postgres",
                "--auth-local=peer", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C", "-N",
            ])
        var location = shared
        var failure: Error?
        for _ in 0..<5 {
            location.port = Int.random(in: 20_000..<60_000)
            do {
                server = try Self.start(bin: bin, folder: folder, port: location.port)
                failure = nil
                break
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        self.location = location
        let password = shared.password ?? ""
        try Self.run(
            "/usr/sbin/runuser",
            [
                "-u", "postgres", "--", bin + "/psql", "-X", "-q", "-h", folder, "-p", String(location.port), "-U",
                "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1",
            ],
            input: """
                CREATE ROLE \(shared.user) LOGIN CREATEDB PASSWORD '\(password)';
                CREATE DATABASE \(shared.database) OWNER \(shared.user) TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';
                """)
    }

    /// Starts the server on `port` and returns once it accepts connections.
    private static func start(bin: String, folder: String, port: Int) throws -> Process {
        let process = Process()
        // setpriv execs the server as postgres (runuser would stay its parent).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = [
            "--reuid=postgres", "--regid=postgres", "--init-groups", "--", bin + "/postgres", "-D", folder + "/data",
            "-c", "listen_addresses=127.0.0.1", "-p", String(port), "-k", folder, "-c", "fsync=off",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while true {
            guard process.isRunning else {
                process.waitUntilExit()
                throw ClusterFailure(description: "the private PostgreSQL server stopped on port \(port)")
            }
            if (try? Self.run(bin + "/pg_isready", ["-q", "-h", "127.0.0.1", "-p", String(port)])) != nil { break }
            guard Date() < deadline else {
                Glibc.kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw ClusterFailure(description: "the private PostgreSQL server did not start in 30 s")
            }
            usleep(50_000)
        }
        return process
    }

    /// A fast shutdown and a start: every connection is dropped, what is
    /// committed is checkpointed, and the server is back on the same port.
    package func restart() throws {
        if let server {
            Glibc.kill(server.processIdentifier, SIGINT)
            server.waitUntilExit()
            self.server = nil
        }
        server = try Self.start(bin: bin, folder: folder, port: location.port)
    }

    package func stop() {
        if let server {
            Glibc.kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            self.server = nil
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    deinit { stop() }

    package struct ClusterFailure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Runs a program to its end; throws with its output if it fails.
    @discardableResult
    private static func run(_ program: String, _ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        // From /, which the postgres user can always enter.
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ClusterFailure(
                description:
                    "\(URL(fileURLWithPath: program).lastPathComponent) failed (\(process.terminationStatus)): \(text)")
        }
        return text
    }
}
