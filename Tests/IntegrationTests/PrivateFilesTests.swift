import Foundation
import Testing

import SyncTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Health data and tokens stay with the user who owns them: every file the
/// programs make is 0600 whatever the umask, and a token can be given
/// without putting it on a command line.
@Suite(.serialized) struct PrivateFilesTests {
    let directory = TemporaryDirectory()

    func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }

    @Test func everyFileTheProgramsMakeIsPrivateUnderUmask022() async throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let live = try await LiveHub.start()
        let hubFile = directory.file("made-by-cli-hub.sqlite")
        #expect(try CommandRunner.run("hub", ["station", "add", "S09", "--name", "x", "--db", hubFile]).status == 0)
        let laptop = StationNode(db: directory.file("private.sqlite"))
        // The token from the environment: nothing secret on the command line.
        let initialised = try CommandRunner.run(
            "station", ["init", "--station", "S01", "--name", "x", "--hub", live.url, "--db", laptop.db],
            environment: ["HEALTH_SYNC_TOKEN": live.tokens["S01"]!])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        _ = try laptop.run("record", "add", "--name", "王芳", "--sex", "F", "--birth", "1990-01-01")
        let synced = try await laptop.sync()
        #expect(synced.status == 0, "\(synced.stderr)")
        _ = try laptop.run("record", "add", "--name", "王芳芳", "--sex", "F", "--birth", "1990-01-01")
        let bundle = directory.file("out.bundle")
        #expect(try laptop.run("export", "--to", bundle).status == 0)
        for file in [hubFile, laptop.db, bundle] + ["-wal", "-shm"].map({ laptop.db + $0 })
            + ["-wal"].map({ hubFile + $0 })
        where FileManager.default.fileExists(atPath: file) {
            let found = try mode(file)
            #expect(found == 0o600, "\(file) is \(String(found, radix: 8))")
        }
        try await live.stop()
    }

    @Test func aFileThatIsNotADatabaseOrABusyPortGetsASentenceAndExit74() async throws {
        let junk = directory.file("junk.sqlite")
        try Data("姓名,性别\n张三,男\n".utf8).write(to: URL(fileURLWithPath: junk))
        let status = try CommandRunner.run("station", ["status", "--db", junk])
        #expect(status.status == 74)
        #expect(status.stderr.contains("not a health-sync database"), "\(status.stderr)")
        #expect(!status.stderr.contains("SQLite error"))

        let live = try await LiveHub.start()
        let taken = live.url.split(separator: ":").last.map(String.init)!
        let second = try CommandRunner.run("hub", ["serve", "--port", taken, "--db", live.databasePath])
        #expect(second.status == 74)
        #expect(second.stderr.contains("in use"), "\(second.stderr)")
        try await live.stop()
    }
}
