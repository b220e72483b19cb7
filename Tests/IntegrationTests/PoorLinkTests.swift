import Foundation
import LinkSimulator
import Synchronization
import Testing
@testable import HubCore
@testable import Reporting
@testable import StationCLI
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
import SyncTestSupport

/// Sync over a slow, late link that breaks (`LinkSimulator` between the
/// client and a live hub): a cut sync resumes and converges, and what the
/// hub acknowledged before a cut is not sent again, so the bytes a cut
/// costs are bounded by what was in flight. Assertions are on behaviour and
/// bytes, never on timings.
@Suite(.serialized) struct PoorLinkTests {
    /// 128 kbit/s each way, 100 ms round trips: small data crosses in seconds.
    static let link = LinkProfile.symmetric(bitsPerSecond: 128_000, roundTrip: 0.1)
    /// A cut may throw away about this much of the link's work: short, so a
    /// few hundred records make several batches.
    static let target = 0.5
    static let records = 800

    /// Residents with notes of random text, so gzip leaves tens of bytes each.
    func addResidents(_ store: ReplicaStore, station: String, count: Int = records, seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        try store.writeTransaction {
            for index in 0..<count {
                var values = sampleRecord
                values[.note] =
                    "随访 \(index): "
                    + (0..<6).map { _ in String(random.next() % 1_000_000_007, radix: 36) }.joined(separator: " ")
                try store.addRecord(station: station, values: values, clerk: "李护士")
            }
        }
    }

    func states(_ store: ReplicaStore, station: String) throws -> [String: EntityState] {
        var result: [String: EntityState] = [:]
        for kind in EntityKind.allCases {
            for state in try store.entities(kind, includeDeleted: true) where state.station == station {
                result[state.id] = state
            }
        }
        return result
    }

    func hubStates(_ hub: LiveHub, station: String) throws -> [String: EntityState] {
        try hub.withStore { try states($0.replica, station: station) }
    }

    /// A sync through `link`, with the test's short target and quick retries;
    /// by default a link that stays down fails the sync at once (no outage
    /// budget), so that the tests of resuming can run the next sync.
    func sync(
        _ path: String, _ hub: LiveHub, station: String, through link: LinkSimulator, retryAfter: Double = 0.01,
        outageBudget: Double = 0
    ) async throws -> SyncReport {
        try await IntegrationTests.sync(path, hub: hub, station: station, url: "http://127.0.0.1:\(link.port)") {
            options, client in
            options.targetSeconds = Self.target
            client.baseDelay = retryAfter
            client.outageBudget = outageBudget
        }
    }

    /// What a cut may cost on top of a clean sync: what was in flight (at
    /// most the target's worth of the link, with room for a measurement
    /// that overshoots), and a second handshake and pull when the sync is
    /// run again.
    static func allowance(bytesPerSecond: Int) -> Int {
        Int(1.25 * Double(bytesPerSecond) * target) + 2_500
    }

    // MARK: - Through the link

    @Test func theLinkCutsAtTheByteItWasToldAndStaysDownUntilRestored() async throws {
        let hub = try await LiveHub.start()
        let link = try LinkSimulator(
            upstreamPort: hub.port, profile: LinkProfile(cuts: .afterBytes(60), downtime: nil))
        let url = "http://127.0.0.1:\(link.port)/v1/health"
        let health: @Sendable () throws -> HTTPClient.Response = {
            var configuration = HTTPClientConfiguration()
            configuration.attempts = 1
            configuration.outageBudget = 0
            return try HTTPClient(configuration: configuration).send(HTTPClient.Request(url: url))
        }
        // The request is longer than 60 bytes: the link breaks inside it.
        await #expect(throws: HTTPClientError.self) { _ = try await runOnOwnThread(health) }
        #expect(link.statistics.bytes == 60 && link.statistics.cuts == 1)
        // Down until restored: a new connection is closed at once.
        await #expect(throws: HTTPClientError.self) { _ = try await runOnOwnThread(health) }
        #expect(link.statistics.refused == 1 && link.statistics.bytes == 60)
        link.restore()
        #expect(try await runOnOwnThread(health).status == 200)
        #expect(link.statistics.cuts == 1 && link.statistics.bytesDown > 0)
        link.close()
        try await hub.stop()
    }

    @Test func aPushCutMidwayResumesAndWhatWasAcknowledgedIsNotSentAgain() async throws {
        let hub = try await LiveHub.start()
        let directory = TemporaryDirectory()
        // The same work on two stations: one syncs over a clean link, one over a link cut halfway.
        let clean = try makeStore(directory, "clean.sqlite")
        let cut = try makeStore(directory, "cut.sqlite")
        try addResidents(clean, station: "S01", seed: 1)
        try addResidents(cut, station: "S02", seed: 1)

        let cleanLink = try LinkSimulator(upstreamPort: hub.port, profile: Self.link)
        let whole = try await sync(directory.file("clean.sqlite"), hub, station: "S01", through: cleanLink)
        #expect(whole.pushed == Self.records && whole.failures.isEmpty)
        let cleanBytes = cleanLink.statistics
        cleanLink.close()

        var profile = Self.link
        profile.cuts = .afterBytes(cleanBytes.bytes / 2)
        profile.downtime = nil
        let cutLink = try LinkSimulator(upstreamPort: hub.port, profile: profile)
        await #expect(throws: SyncError.self) {
            _ = try await sync(directory.file("cut.sqlite"), hub, station: "S02", through: cutLink)
        }
        #expect(cutLink.statistics.cuts == 1)
        let pending = try cut.pendingCount()
        #expect(pending > 0 && pending < Self.records, "the cut came halfway: \(pending) pending")
        // Everything acknowledged is at the hub (and perhaps a batch whose answer was lost).
        #expect(try hubStates(hub, station: "S02").count >= Self.records - pending)

        cutLink.restore()
        let resumed = try await sync(directory.file("cut.sqlite"), hub, station: "S02", through: cutLink)
        #expect(resumed.pushed == pending && resumed.failures.isEmpty)
        #expect(try cut.pendingCount() == 0)
        #expect(try hubStates(hub, station: "S02").count == Self.records)
        #expect(try states(cut, station: "S02") == hubStates(hub, station: "S02"))

        let extra = cutLink.statistics.bytesUp - cleanBytes.bytesUp
        let allowance = Self.allowance(bytesPerSecond: Self.link.upBytesPerSecond!)
        #expect(
            extra <= allowance,
            "the cut cost \(extra) bytes up (clean \(cleanBytes.bytesUp)), more than what was in flight (\(allowance))")
        cutLink.close()
        try await hub.stop()
    }

    @Test func theClientsRetriesCarryAPushThroughRandomCuts() async throws {
        let hub = try await LiveHub.start()
        let directory = TemporaryDirectory()
        let clean = try makeStore(directory, "clean.sqlite")
        let cut = try makeStore(directory, "cut.sqlite")
        try addResidents(clean, station: "S01", seed: 2)
        try addResidents(cut, station: "S02", seed: 2)
        let cleanLink = try LinkSimulator(upstreamPort: hub.port, profile: Self.link)
        _ = try await sync(directory.file("clean.sqlite"), hub, station: "S01", through: cleanLink)
        let cleanBytes = cleanLink.statistics
        cleanLink.close()

        // Cuts after random amounts of traffic (the same for this seed), the
        // link back 50 ms later: the client's retries carry the sync.
        var profile = Self.link
        profile.cuts = .random(seed: 17, meanBytes: cleanBytes.bytes / 3, count: 3)
        profile.downtime = 0.05
        let cutLink = try LinkSimulator(upstreamPort: hub.port, profile: profile)
        let report = try await sync(
            directory.file("cut.sqlite"), hub, station: "S02", through: cutLink, retryAfter: 0.1)
        let cuts = cutLink.statistics.cuts
        #expect(cuts >= 1)
        #expect(report.pushed == Self.records && report.failures.isEmpty)
        #expect(try cut.pendingCount() == 0)
        #expect(try states(cut, station: "S02") == hubStates(hub, station: "S02"))

        let extra = cutLink.statistics.bytesUp - cleanBytes.bytesUp
        let allowance = cuts * Self.allowance(bytesPerSecond: Self.link.upBytesPerSecond!)
        #expect(extra <= allowance, "\(cuts) cuts cost \(extra) bytes up, more than what was in flight (\(allowance))")
        cutLink.close()
        try await hub.stop()
    }

    @Test func aLinkDownForSecondsMidSyncIsWaitedOutOnceTheHubHasAnswered() async throws {
        let hub = try await LiveHub.start()
        let directory = TemporaryDirectory()
        let store = try makeStore(directory, "outage.sqlite")
        try addResidents(store, station: "S01", count: 300, seed: 5)
        // Down for 2.5 s once the handshake has been answered: far longer
        // than the quick retries (0.1 + 0.2 + 0.4 s) a laptop gets before
        // the hub has answered at all.
        var profile = Self.link
        profile.cuts = .afterBytes(4_000)
        profile.downtime = 2.5
        let link = try LinkSimulator(upstreamPort: hub.port, profile: profile)
        let report = try await sync(
            directory.file("outage.sqlite"), hub, station: "S01", through: link, retryAfter: 0.1,
            outageBudget: HTTPClientConfiguration().outageBudget)
        #expect(link.statistics.cuts == 1 && link.statistics.refused >= 1)
        #expect(report.pushed == 300 && report.failures.isEmpty)
        #expect(try store.pendingCount() == 0)
        #expect(try states(store, station: "S01") == hubStates(hub, station: "S01"))
        link.close()
        try await hub.stop()
    }

    @Test func aLaptopWithNoLinkAtAllHearsSoAfterTheQuickRetries() async throws {
        let retries = Mutex(0)
        await #expect(throws: HTTPClientError.self) {
            _ = try await runOnOwnThread {
                var configuration = HTTPClientConfiguration()
                configuration.baseDelay = 0.01
                configuration.onRetry = { _, _, _ in retries.withLock { $0 += 1 } }
                // Nothing listens on port 1: the hub never answers.
                return try HTTPClient(configuration: configuration).send(
                    HTTPClient.Request(url: "http://127.0.0.1:1/v1/health"))
            }
        }
        #expect(retries.withLock { $0 } == 3)
    }

    @Test func aPullCutMidPageResumesAtTheLastMergedPage() async throws {
        let hub = try await LiveHub.start()
        let directory = TemporaryDirectory()
        let first = try makeStore(directory, "first.sqlite")
        try addResidents(first, station: "S01", seed: 3)
        _ = try await IntegrationTests.sync(directory.file("first.sqlite"), hub: hub, station: "S01")
        // Two new laptops of the station pull everything: one over a clean
        // link, one over a link cut halfway.
        let cleanLaptop = try makeStore(directory, "clean.sqlite")
        let cleanLink = try LinkSimulator(upstreamPort: hub.port, profile: Self.link)
        let whole = try await sync(directory.file("clean.sqlite"), hub, station: "S01", through: cleanLink)
        #expect(whole.pulled == Self.records)
        #expect(try states(cleanLaptop, station: "S01").count == Self.records)
        let cleanBytes = cleanLink.statistics
        cleanLink.close()

        let laptop = try makeStore(directory, "cut.sqlite")
        var profile = Self.link
        profile.cuts = .afterBytes(cleanBytes.bytes / 2)
        profile.downtime = nil
        let cutLink = try LinkSimulator(upstreamPort: hub.port, profile: profile)
        await #expect(throws: SyncError.self) {
            _ = try await sync(directory.file("cut.sqlite"), hub, station: "S01", through: cutLink)
        }
        let partial = try states(laptop, station: "S01").count
        #expect(partial > 0 && partial < Self.records, "pages merged before the cut: \(partial)")
        cutLink.restore()
        let resumed = try await sync(directory.file("cut.sqlite"), hub, station: "S01", through: cutLink)
        #expect(resumed.pulled == Self.records - partial)
        #expect(try states(laptop, station: "S01") == hubStates(hub, station: "S01"))

        let extra = cutLink.statistics.bytesDown - cleanBytes.bytesDown
        let allowance = Self.allowance(bytesPerSecond: Self.link.downBytesPerSecond!)
        #expect(
            extra <= allowance,
            "the cut cost \(extra) bytes down (clean \(cleanBytes.bytesDown)), more than the page in flight (\(allowance))"
        )
        cutLink.close()
        try await hub.stop()
    }

    @Test func aSlowSyncShowsItsRateAndTimeLeftInChineseWithinTheTerminal() async throws {
        let hub = try await LiveHub.start()
        let directory = TemporaryDirectory()
        // 24 kbit/s: the push takes several seconds, long enough for a rate.
        let link = try LinkSimulator(
            upstreamPort: hub.port, profile: .symmetric(bitsPerSecond: 24_000, roundTrip: 0.2))
        let node = StationNode(db: directory.file("slow.sqlite"))
        let url = "http://127.0.0.1:\(link.port)"
        #expect(
            try node.run("init", "--station", "S01", "--name", "x", "--hub", url, "--token", hub.tokens["S01"]!)
                .status == 0)
        var random = SplitMix64(seed: 4)
        var csv = "name,sex,birth,note\n"
        for index in 0..<300 {
            csv += "居民\(index),F,1980-01-01,"
            csv += (0..<8).map { _ in String(random.next() % 1_000_000_007, radix: 36) }.joined(separator: " ") + "\n"
        }
        let file = directory.file("residents.csv")
        try Data(csv.utf8).write(to: URL(fileURLWithPath: file))
        #expect(try node.run("record", "import", file).status == 0)

        let station = CommandRunner.productsFolder.appendingPathComponent("station").path
        let shown = try await runBlocking {
            try CommandRunner.runPath(
                "/usr/bin/script", ["-q", "-c", "stty cols 60; \(station) sync --db \(node.db)", "/dev/null"],
                environment: ["LANG": "zh_CN.UTF-8"])
        }
        #expect(shown.status == 0, "\(shown.stderr)")
        let redraws = shown.stdout.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
            .flatMap { $0.split(separator: "\r") }
            .map { $0.replacingOccurrences(of: "\u{1B}[K", with: "") }
            .filter { $0.hasPrefix("上传") }
        #expect(redraws.contains { $0.contains("/秒") && $0.contains("约剩") }, "\(redraws)")
        for line in redraws {
            #expect(DisplayWidth.of(line) < 60, "'\(line)' takes \(DisplayWidth.of(line)) columns")
        }
        link.close()
        try await hub.stop()
    }

    // MARK: - Batch sizes, without a network

    /// Answers from a link of `bandwidth` bytes a second and `fixed` seconds a request.
    struct ModelLink {
        var bandwidth: Double
        var fixed: Double
        var compression = 0.2

        func push(_ pacer: inout LinkPacer) -> Int {
            let raw = pacer.batchBytes
            let wire = Int(Double(raw) * compression)
            let seconds = fixed + Double(wire + LinkPacer.headerBytes) / bandwidth
            pacer.observePush(entities: raw / 400, rawBytes: raw, sent: wire, received: 60, seconds: seconds)
            return wire
        }
    }

    @Test func onASlowLinkBatchesGrowFromAProbeToTheTargetAndTwoTravelAtOnce() {
        let link = ModelLink(bandwidth: 3_750, fixed: 0.6)
        var pacer = LinkPacer(limits: LinkPacer.Limits())
        pacer.observeExchange(sent: 700, received: 300, seconds: 1.5)
        #expect(pacer.depth == 1 && pacer.gzipLevel == 9 && !pacer.linkIsFast)
        #expect(pacer.batchBytes <= pacer.limits.firstBatchBytes)
        var sizes: [Int] = []
        for _ in 0..<8 { sizes.append(link.push(&pacer)) }
        #expect(sizes[0] < sizes[1] && sizes[1] < sizes[2], "\(sizes)")
        let model = pacer.model
        #expect(abs((model?.bandwidth ?? 0) - link.bandwidth) < 0.05 * link.bandwidth)
        #expect(abs((model?.fixedSeconds ?? 0) - link.fixed) < 0.05)
        // What is unacknowledged, a batch crossing and one awaiting its answer, is about the target's worth.
        let steady = sizes.last! + LinkPacer.headerBytes
        #expect(Double(steady) + link.bandwidth * link.fixed <= 1.05 * link.bandwidth * pacer.limits.targetSeconds)
        #expect(Double(steady) >= 0.8 * link.bandwidth * (pacer.limits.targetSeconds - link.fixed))
        #expect(pacer.depth == 2 && !pacer.linkIsFast)
    }

    @Test func aSmallPushGoesInOneBatchAndALargerOneStartsWithTheProbe() {
        var pacer = LinkPacer(limits: LinkPacer.Limits())
        // A station's day: 50 records in one batch, not a probe and the rest.
        pacer.pendingEntities = 50
        #expect(pacer.batchBytes == pacer.limits.smallPushBytes)
        #expect(pacer.limits.smallPushBytes > 50 * 400, "50 records of 400 bytes fit")
        // A month's changes start with the probe, as before.
        pacer.pendingEntities = 550
        #expect(pacer.batchBytes == pacer.limits.firstBatchBytes)
        // After the first answer the link's figures decide, whatever is pending.
        pacer.pendingEntities = 50
        pacer.observePush(entities: 40, rawBytes: 16_000, sent: 4_000, received: 60, seconds: 0.01)
        #expect(pacer.batchBytes != pacer.limits.smallPushBytes)
    }

    @Test func onAFastLinkBatchesAreTheLargestSeveralInFlightWithCheapGzip() {
        let link = ModelLink(bandwidth: 200_000_000, fixed: 0.003, compression: 0.25)
        var pacer = LinkPacer(limits: LinkPacer.Limits())
        pacer.observeExchange(sent: 700, received: 300, seconds: 0.005)
        // The first batch is a probe whatever the handshake suggests.
        #expect(pacer.batchBytes == pacer.limits.firstBatchBytes)
        _ = link.push(&pacer)
        #expect(pacer.linkIsFast && pacer.depth == 3 && pacer.gzipLevel == 1)
        #expect(pacer.batchBytes == pacer.limits.maxBatchBytes)
        #expect(pacer.pageEntities == SyncProtocol.maxPullLimit)
    }

    @Test func answersSlowedByQueueingDoNotPullTheFitBelowTheLink() {
        // Two quick answers of different sizes, then answers that waited behind
        // another batch or a busy hub: the line stays under the quick ones.
        let samples: [(bytes: Double, seconds: Double)] = [
            (1_500, 0.6 + 1_500 / 3_750), (2_400, 0.6 + 2_400 / 3_750), (5_000, 2.5), (5_100, 2.45),
            (4_400, 0.6 + 4_400 / 3_750), (4_800, 2.2),
        ]
        let model = LinkPacer.fit(samples)
        #expect(model.map { abs($0.bandwidth - 3_750) < 40 } == true, "\(String(describing: model))")
        #expect(model.map { abs($0.fixedSeconds - 0.6) < 0.02 } == true)
        // Sizes too alike to fit keep the fixed part and take the quickest bandwidth.
        let kept = LinkPacer.fit([(4_000, 1.8), (4_200, 2.4)], keeping: model)
        #expect(kept?.fixedSeconds == model?.fixedSeconds)
        #expect(kept.map { abs($0.bandwidth - 4_000 / 1.2) < 1 } == true)
    }

    @Test func aBatchThatCrossedLateMovesTheNextLaunchBack() throws {
        var pacer = LinkPacer(limits: LinkPacer.Limits())
        let link = ModelLink(bandwidth: 3_750, fixed: 0.6)
        pacer.observeExchange(sent: 700, received: 300, seconds: 1.5)
        for _ in 0..<3 { _ = link.push(&pacer) }
        let model = try #require(pacer.model)
        pacer.launched(1, wireBytes: 3_000, at: 100)
        pacer.launched(2, wireBytes: 3_000, at: 101)
        let crossing = Double(3_000 + LinkPacer.headerBytes) / model.bandwidth
        #expect(abs(try #require(pacer.linkFree) - (101 + crossing)) < 1e-9)
        // Batch 1 answered a second late: it left the link late, and so did batch 2.
        pacer.landed(1, at: 102.5)
        #expect(abs(try #require(pacer.linkFree) - (102.5 - model.fixedSeconds + crossing)) < 1e-9)
        // Batch 2 answered: the link is free now.
        pacer.landed(2, at: 103)
        #expect(try #require(pacer.linkFree) <= 103)
    }

    // MARK: - The progress line

    func progress(_ phase: SyncProgress.Phase, done: Int, total: Int?, bytes: Int, elapsed: Double) -> SyncProgress {
        SyncProgress(phase: phase, done: done, total: total, bytes: bytes, elapsed: elapsed)
    }

    @Test func theProgressLineShowsRateAndTimeLeftOnALongPhaseAndFitsEveryWidth() {
        let slow = progress(.push, done: 120, total: 550, bytes: 36_000, elapsed: 12)
        let wide = ProgressDisplay.line(slow, columns: 100)
        #expect(wide.contains("2.9 KB/s") && wide.contains("43 s left") && wide.contains("["), "\(wide)")
        // A short phase shows no rate.
        let quick = ProgressDisplay.line(
            progress(.push, done: 120, total: 550, bytes: 36_000, elapsed: 1), columns: 100)
        #expect(!quick.contains("/s"), "\(quick)")
        // A pull does not know its total: a rate, no time left.
        let pull = ProgressDisplay.line(progress(.pull, done: 800, total: nil, bytes: 64_000, elapsed: 4), columns: 100)
        #expect(pull.contains("15 KB/s") && !pull.contains("left"), "\(pull)")
        for columns in 1...100 {
            for item in [slow, progress(.pull, done: 123_456, total: nil, bytes: 9_000_000, elapsed: 90)] {
                let line = ProgressDisplay.line(item, columns: columns)
                #expect(DisplayWidth.of(line) <= columns, "'\(line)' at \(columns) columns")
            }
        }
        // What does not fit goes, the bar first, then the time left, then the rate.
        let narrow = ProgressDisplay.line(slow, columns: 42)
        #expect(!narrow.contains("[") && narrow.contains("KB/s") && !narrow.contains("left"), "\(narrow)")
        #expect(ProgressDisplay.duration(43) == "43 s" && ProgressDisplay.duration(600) == "10 min")
    }
}
