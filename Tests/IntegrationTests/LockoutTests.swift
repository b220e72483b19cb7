import Foundation
import Testing

@testable import HubCore
import SyncTestSupport

/// A clerk's mistake or a lost token never locks a laptop out for good, and
/// what it holds is never stranded.
@Suite(.serialized) struct LockoutTests {
    let directory = TemporaryDirectory()

    func hub(_ arguments: String..., db: String) throws -> CommandResult {
        try CommandRunner.run("hub", arguments + ["--db", db])
    }

    @Test(arguments: HubBackend.allCases) func aRotatedTokenReachesTheLaptopWhichKeepsEverythingItHeld(
        backend: HubBackend
    ) async throws {
        let live = try await LiveHub.start(backend: backend)
        let laptop = StationNode(db: directory.file("a.sqlite"))
        #expect(
            try laptop.run("init", "--station", "S01", "--name", "x", "--hub", live.url, "--token", live.tokens["S01"]!)
                .status == 0)
        _ = try laptop.run("record", "add", "--name", "甲", "--sex", "F", "--birth", "1980-01-01")
        #expect(try await laptop.sync().status == 0)

        // The token leaks: the operator revokes it, and later issues a new one.
        #expect(try hub("station", "revoke", "S01", db: live.databasePath).status == 0)
        _ = try laptop.run("record", "add", "--name", "乙", "--sex", "F", "--birth", "1981-01-01")
        let refused = try await laptop.sync()
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("token"), "\(refused.stderr)")
        let rotated = try hub("station", "rotate", "S01", db: live.databasePath)
        #expect(rotated.status == 0)
        let token = rotated.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.count == 64 && token != live.tokens["S01"])

        let file = directory.file("S01.token")
        try (token + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let configured = try laptop.run("config", "--token-file", file)
        #expect(configured.status == 0, "\(configured.stderr)")
        #expect(!configured.stdout.contains(token), "the token is never printed whole")
        let synced = try await laptop.sync()
        #expect(synced.status == 0, "\(synced.stderr)")
        #expect(synced.stdout.contains("pushed 1"), "\(synced.stdout)")
        // The old token works no more.
        let old = try await request(live, "GET", "/v1/pull?since=0&node=n1", token: live.tokens["S01"])
        #expect(old.status == 401)
        try await live.stop()
    }

    @Test(arguments: HubBackend.allCases) func oneSyncWithAnotherStationsTokenLocksNothing(backend: HubBackend)
        async throws
    {
        let live = try await LiveHub.start(backend: backend)
        let laptop = StationNode(db: directory.file("s02.sqlite"))
        // Set up for S02 with S01's token, by mistake.
        #expect(
            try laptop.run("init", "--station", "S02", "--name", "y", "--hub", live.url, "--token", live.tokens["S01"]!)
                .status == 0)
        let id = try laptop.run("record", "add", "--name", "丙", "--sex", "M", "--birth", "1970-05-05").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let wrong = try await laptop.sync()
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("this token is for S01"), "\(wrong.stderr)")

        #expect(try laptop.run("config", "--token", live.tokens["S02"]!).status == 0)
        let right = try await laptop.sync()
        #expect(right.status == 0, "\(right.stderr)")
        let atHub = try live.withStore { try $0.replica.entity(.record, id) }
        #expect(atHub?.station == "S02")
        let bundle = directory.file("s02.bundle")
        _ = try laptop.run("record", "edit", id, "--set", "note=随访")
        #expect(try laptop.run("export", "--to", bundle).status == 0)
        #expect(try hub("import", bundle, db: live.databasePath).status == 0)
        try await live.stop()
    }
}
