import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import Reporting
import SyncClient
import SyncModel
import SyncStore
import SyncSupport

extension SyncBench {
    /// The hub's work on a push before its database sees it, alone and
    /// repeatable: for instruction counts under callgrind, which stay the
    /// same run to run on this shared machine where timings do not. The
    /// other stages run a whole first sync or a new laptop's pull, both
    /// sides in this process without HTTP or gzip.
    struct Prepare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prepare",
            abstract: "Decode, validate and build stored forms for one push batch, N times (for callgrind).",
            discussion: """
                Compare two builds by their instruction counts: the difference between --rounds 10 \\
                and --rounds 0 is ten batches' work. valgrind needs a copy without debug info.

                --stage push: each round, a first sync of the records into an empty hub (the
                station's reads and acks, the hub's decoding and its database), in this process.
                --stage pull: each round, a new store pulls the records from a hub that holds them.

                Example:
                  cp .build/release/sync-bench /tmp/sb && strip -g /tmp/sb
                  valgrind --tool=callgrind /tmp/sb prepare --rounds 0
                  valgrind --tool=callgrind /tmp/sb prepare --rounds 10
                  valgrind --tool=callgrind /tmp/sb prepare --stage pull --records 20000 --rounds 1
                """
        )

        enum Stage: String, ExpressibleByArgument, CaseIterable {
            case prepare, push, pull
        }

        @Option(help: "Records in the batch.") var records = 5_000
        @Option(help: "Times the batch is prepared.") var rounds = 10
        @Option(help: "What each round does: \(Stage.allCases.map(\.rawValue).joined(separator: ", ")).")
        var stage = Stage.prepare

        func run() throws {
            let work = try Workspace()
            let path = work.file("prepare.sqlite")
            let store = try ReplicaStore(path: path, durability: .normal)
            var generator = SyntheticResidents(seed: 7)
            try store.writeTransaction {
                for _ in 0..<records {
                    let input = generator.record()
                    try store.addRecord(station: "S01", values: input.values, tags: input.tags, clerk: "bench")
                }
            }
            switch stage {
            case .prepare:
                let body = PushRequest.encode(
                    node: store.nodeID, encodedStates: try store.changes(since: 0, limit: records).map(\.bytes))
                store.close()
                var accepted = 0
                for _ in 0..<rounds {
                    accepted += try HubService.prepare(body, schema: EntitySchema()).acceptedCount
                }
                print("prepared \(rounds) × \(records) records (\(body.count) bytes each time), \(accepted) valid")
            case .push:
                // Closing the only connection folds the log into the file: a copy of it is the store.
                store.close()
                var pushed = 0
                for round in 0..<rounds {
                    let hub = try InProcessHub(path: work.file("hub-\(round).sqlite"))
                    let copy = work.file("station-\(round).sqlite")
                    try FileManager.default.copyItem(atPath: path, toPath: copy)
                    let station = try ReplicaStore(path: copy)
                    pushed += try SyncSession(store: station, transport: hub, options: hub.options).run().pushed
                    station.close()
                    hub.close()
                }
                print("pushed \(rounds) × \(records) records: \(pushed)")
            case .pull:
                let hub = try InProcessHub(path: work.file("hub.sqlite"))
                defer { hub.close() }
                try SyncSession(store: store, transport: hub, options: hub.options).run()
                store.close()
                var pulled = 0
                for round in 0..<rounds {
                    let fresh = try ReplicaStore(path: work.file("fresh-\(round).sqlite"))
                    pulled += try SyncSession(store: fresh, transport: hub, options: hub.options).run().merged
                    fresh.close()
                }
                print("pulled \(rounds) × \(records) records: \(pulled) merged")
            }
        }
    }
}

/// A hub in this process behind the transport a sync session uses: the
/// server's routes for session, push and pull, without sockets. A push is
/// decoded outside the lock, as the server does off its database queue.
private final class InProcessHub: SyncTransport, @unchecked Sendable {
    // @unchecked: `hub` is only touched under `lock`.
    private let lock = NSLock()
    private let hub: HubService
    private let token: String
    private let schema = EntitySchema()

    init(path: String) throws {
        hub = try HubService(path: path)
        token = try hub.addStation(id: "S01", name: "bench")
        try hub.startIncarnation()
    }

    /// No gzip: zlib's work is the same in every build, and would hide ours.
    var options: SyncSession.Options {
        var options = SyncSession.Options(hubURL: "http://in-process", token: token, station: "S01")
        options.gzip = false
        return options
    }

    func close() { lock.withLock { hub.close() } }

    package func send(_ request: HTTPClient.Request) -> Result<HTTPClient.Response, SyncError> {
        let body = request.body ?? []
        // Reported as a millisecond: a fast link, so the session sizes its
        // batches and pages as on loopback, the same in every run.
        func answer(_ status: Int, _ bytes: [UInt8]) -> Result<HTTPClient.Response, SyncError> {
            .success(HTTPClient.Response(inProcess: status, body: bytes, sent: body.count, seconds: 0.001))
        }
        do {
            guard let url = URLComponents(string: request.url) else { return answer(404, []) }
            let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { first, _ in first }
            switch (request.method, url.path) {
            case ("POST", "/v1/session"):
                let handshake = try SessionRequest.decode(body)
                return answer(200, try lock.withLock { try hub.session(station: "S01", handshake) }.encoded())
            case ("POST", "/v1/push"):
                let prepared = try HubService.prepare(body, schema: schema)
                let result = try lock.withLock { try hub.push(station: "S01", prepared: prepared) }
                return answer(200, result.encoded { _ in 422 })
            case ("GET", "/v1/pull"):
                let page = try lock.withLock {
                    try hub.pull(
                        station: "S01", node: query["node"] ?? "", since: Int64(query["since"] ?? "0") ?? 0,
                        limit: Int(query["limit"] ?? "") ?? SyncProtocol.defaultPullLimit)
                }
                return answer(200, page)
            default:
                return answer(404, [])
            }
        } catch {
            return .failure(.badResponse(String(describing: error)))
        }
    }
}
