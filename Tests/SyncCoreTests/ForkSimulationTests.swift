import Foundation
import Testing

@testable import HubCore
@testable import SyncClient
@testable import SyncModel
@testable import SyncStore
@testable import SyncSupport
import SyncTestSupport

/// The hub in this process, behind the transport a sync session uses: the
/// real handshake, push and pull code on both sides, without sockets.
final class InProcessHub: SyncTransport, @unchecked Sendable {
    // @unchecked: `hub` is only touched under `lock`.
    private let lock = NSLock()
    private var hub: HubService
    let path: String
    let token: String

    init(path: String) throws {
        self.path = path
        hub = try HubService(path: path)
        token = try hub.addStation(id: "S01", name: "青禾")
        try hub.startIncarnation()
    }

    /// Stops and starts the hub's server (a new incarnation), running `between` while it is down.
    func restart(_ between: () throws -> Void = {}) throws {
        try lock.withLock {
            hub.close()
            try between()
            hub = try HubService(path: path)
            try hub.startIncarnation()
        }
    }

    func read<T>(_ body: (HubService) throws -> T) throws -> T {
        try lock.withLock { try body(hub) }
    }

    func send(_ request: HTTPClient.Request) -> Result<HTTPClient.Response, SyncError> {
        lock.withLock {
            func answer(_ status: Int, _ body: [UInt8]) -> Result<HTTPClient.Response, SyncError> {
                .success(
                    HTTPClient.Response(
                        status: status, headers: [:], body: body, bytesSent: 0, bytesReceived: body.count))
            }
            do {
                let bearer = String((request.headers["Authorization"] ?? "").dropFirst("Bearer ".count))
                let station = try hub.authenticate(token: bearer)
                var body = request.body ?? []
                if request.headers["Content-Encoding"] == "gzip" { body = try Gzip.decompress(body, limit: 32 << 20) }
                let url = try #require(URLComponents(string: request.url))
                let query = Dictionary(uniqueKeysWithValues: (url.queryItems ?? []).map { ($0.name, $0.value ?? "") })
                switch (request.method, url.path) {
                case ("POST", "/v1/session"):
                    return answer(200, try hub.session(station: station, SessionRequest.decode(body)).encoded())
                case ("POST", "/v1/push"):
                    return answer(200, try hub.push(station: station, body: body).encoded { _ in 422 })
                case ("GET", "/v1/pull"):
                    let page = try hub.pull(
                        station: station, node: query["node"] ?? "", since: Int64(query["since"] ?? "0") ?? 0,
                        limit: Int(query["limit"] ?? "") ?? SyncProtocol.defaultPullLimit)
                    return answer(200, page)
                default:
                    return answer(404, [])
                }
            } catch let failure as HubFailure {
                return answer(400, JSONValue.object([("error", .string(failure.message))]).encoded())
            } catch {
                return .failure(.badResponse(String(describing: error)))
            }
        }
    }
}

/// Laptops of one station write, sync, are backed up, restored and copied,
/// and the hub is backed up and restored, in random order. Afterwards every
/// laptop and the hub hold the same data, and every write that still existed
/// somewhere when the events ended is at the hub, or was replaced by a write
/// that had seen it.
struct ForkSimulation {
    var random: SplitMix64
    let directory: TemporaryDirectory
    let hub: InProcessHub
    var laptops: [String] = []
    var backups: [Int: String] = [:]
    var hubBackup: String?
    var records: [String] = []
    /// Each value written (all unique) → the values it replaced in its store.
    var replaced: [String: Set<String>] = [:]
    var written = 0
    /// What happened, in order, for the failure message.
    var events: [String] = []
    let fields: [RecordField] = [.village, .note, .household]

    /// Which trips back in time happen: laptops restored or copied, the hub restored.
    let laptopsFork: Bool
    let hubRestores: Bool

    init(seed: UInt64, directory: TemporaryDirectory, laptopsFork: Bool, hubRestores: Bool) throws {
        random = SplitMix64(seed: seed)
        self.laptopsFork = laptopsFork
        self.hubRestores = hubRestores
        self.directory = directory
        hub = try InProcessHub(path: directory.file("hub.sqlite"))
        for _ in 0..<2 { try addLaptop(copying: nil) }
    }

    mutating func addLaptop(copying source: String?) throws {
        let path = directory.file("laptop\(laptops.count).sqlite")
        if let source {
            try copyStore(source, path)
        } else {
            let store = try ReplicaStore(path: path)
            try store.saveStationSettings(
                StationSettings(station: "S01", name: "青禾", hubURL: "http://in-process", token: hub.token))
            store.close()
        }
        laptops.append(path)
    }

    func withStore<T>(_ path: String, _ body: (ReplicaStore) throws -> T) throws -> T {
        let store = try ReplicaStore(path: path, durability: .normal)
        defer { store.close() }
        return try body(store)
    }

    func sync(_ path: String) throws -> SyncReport {
        try withStore(path) { store in
            var options = SyncSession.Options(hubURL: "http://in-process", token: hub.token, station: "S01")
            options.gzip = false
            return try SyncSession(store: store, transport: hub, options: options).run()
        }
    }

    mutating func write(_ path: String) throws {
        written += 1
        let value = "w\(written)"
        try withStore(path) { store in
            defer {
                let node = store.nodeID
                if let dot = try? store.entities(.record).lazy.compactMap({ state in
                    state.fields.lazy.flatMap { $0.value }.first { $0.value == value }?.dot
                }).first {
                    events.append("   w\(written) = \(dot) on \(node)")
                }
            }
            let held = try store.entities(.record).map(\.id)
            if held.isEmpty || Int.random(in: 0..<8, using: &random) == 0 {
                var values = sampleRecord
                values[.note] = value
                records.append(try store.addRecord(station: "S01", values: values, clerk: "c").id)
                replaced[value] = []
                return
            }
            let id = held.randomElement(using: &random)!
            let field = fields.randomElement(using: &random)!
            let state = try #require(try store.entity(.record, id))
            replaced[value] = Set((state.fields[field.rawValue] ?? []).compactMap(\.value))
            if state.isInConflict(field.rawValue) {
                try store.resolve(.record, id, field: field.rawValue, .value(value), clerk: "c")
            } else {
                try store.editRecord(id: id, set: [field: value], clerk: "c")
            }
        }
    }

    mutating func step() throws {
        let index = Int.random(in: 0..<laptops.count, using: &random)
        let laptop = laptops[index]
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<45:
            try write(laptop)
            events.append("L\(index) writes w\(written)")
        case 45..<75:
            let report = try sync(laptop)
            events.append(
                "L\(index) syncs\(report.retiredNode.map { " (forked, was \($0))" } ?? "")\(report.hubWentBack ? " (hub went back)" : "")\(report.failures.isEmpty ? "" : " FAILURES \(report.failures.count)")"
            )
        case 75..<82:
            let backup = directory.file("backup\(index).sqlite")
            try copyStore(laptop, backup)
            backups[index] = backup
            events.append("L\(index) backed up")
        case 82..<87:
            if laptopsFork, let backup = backups[index] {
                try copyStore(backup, laptop)
                events.append("L\(index) restored")
            }
        case 87..<91:
            if laptopsFork, laptops.count < 6 {
                try addLaptop(copying: laptop)
                events.append("L\(index) copied to L\(laptops.count - 1)")
            }
        case 91..<95:
            let backup = directory.file("hub-backup.sqlite")
            try hub.restart { try copyStore(hub.path, backup) }
            hubBackup = backup
            events.append("hub backed up")
        default:
            if hubRestores, let hubBackup {
                try hub.restart { try copyStore(hubBackup, hub.path) }
                events.append("hub restored")
            }
        }
    }

    /// Values present in some field of some record, in any laptop or the hub.
    func surviving() throws -> Set<String> {
        var values: Set<String> = []
        func collect(_ states: [EntityState]) {
            for state in states {
                for field in fields {
                    for entry in state.fields[field.rawValue] ?? [] {
                        if let value = entry.value { values.insert(value) }
                    }
                }
                for entry in state.fields["note"] ?? [] { if let value = entry.value { values.insert(value) } }
            }
        }
        for laptop in laptops { collect(try withStore(laptop) { try $0.entities(.record, includeDeleted: true) }) }
        collect(try hub.read { try $0.replica.entities(.record, includeDeleted: true) })
        return values.filter { replaced[$0] != nil }
    }
}

@Suite struct ForkSimulationTests {
    @Test(arguments: 0..<16)
    func restoredAndCopiedLaptopsLoseNoSurvivingWrite(seed: Int) throws {
        try run(seed: seed, laptopsFork: true, hubRestores: false)
    }

    @Test(arguments: 0..<16)
    func aRestoredHubLosesNoWriteALaptopStillHolds(seed: Int) throws {
        try run(seed: seed, laptopsFork: false, hubRestores: true)
    }

    func run(seed: Int, laptopsFork: Bool, hubRestores: Bool) throws {
        let directory = TemporaryDirectory()
        var simulation = try ForkSimulation(
            seed: UInt64(seed) &* 104_729 &+ 1, directory: directory, laptopsFork: laptopsFork, hubRestores: hubRestores
        )
        for _ in 0..<200 { try simulation.step() }
        let surviving = try simulation.surviving()

        // Everyone syncs until nothing moves.
        var failures: [SyncReport.Failure] = []
        for _ in 0..<3 {
            for laptop in simulation.laptops { failures += try simulation.sync(laptop).failures }
        }
        #expect(failures.isEmpty, "seed \(seed): \(failures.prefix(3))\n\(simulation.events.joined(separator: "\n"))")

        let atHub = try simulation.hub.read { hub in
            try Dictionary(
                uniqueKeysWithValues: hub.replica.entities(.record, includeDeleted: true).map { ($0.id, $0) })
        }
        for laptop in simulation.laptops {
            let held = try simulation.withStore(laptop) { store in
                try Dictionary(uniqueKeysWithValues: store.entities(.record, includeDeleted: true).map { ($0.id, $0) })
            }
            #expect(held == atHub, "seed \(seed): \(laptop) differs from the hub")
            #expect(try simulation.withStore(laptop) { try $0.pendingCount() } == 0, "seed \(seed): \(laptop) waits")
        }
        // What the hub holds, and everything those values replaced, transitively.
        var accounted: Set<String> = []
        var queue: [String] = []
        for state in atHub.values {
            for (_, entries) in state.fields {
                for entry in entries { if let value = entry.value { queue.append(value) } }
            }
        }
        while let value = queue.popLast() {
            guard accounted.insert(value).inserted else { continue }
            queue += simulation.replaced[value] ?? []
        }
        let lost = surviving.subtracting(accounted)
        #expect(lost.isEmpty, "seed \(seed): writes that survived the events are gone: \(lost.sorted().prefix(5))")
    }
}
