import HubCore
import SyncModel
import Synchronization

/// Where prepared pushes wait for the database queue. When the queue takes
/// them, it merges every push that came meanwhile in one transaction: when
/// pushes come faster than commits follow each other (three batches in
/// flight from one station, or several stations), several share one sync
/// of the log to disk. Each is still answered only once its commit is on
/// disk, and one refused whole is undone alone (`HubService.push(_:)`).
final class HubPushLane: Sendable {
    private struct Waiting: Sendable {
        let station: String
        let prepared: HubService.PreparedPush
        let answer: CheckedContinuation<PushResponse, any Error>
    }

    private let database: HubDatabase
    private let waiting = Mutex<[Waiting]>([])

    init(database: HubDatabase) {
        self.database = database
    }

    /// Merges `prepared` from `station`, with whatever else waits by then.
    func push(station: String, prepared: HubService.PreparedPush) async throws -> PushResponse {
        try await withCheckedThrowingContinuation { answer in
            let first = waiting.withLock { list in
                list.append(Waiting(station: station, prepared: prepared, answer: answer))
                return list.count == 1
            }
            // A turn on the queue is asked for once for all that wait: the
            // turn takes every push waiting when it starts.
            if first { Task { await self.takeTurn() } }
        }
    }

    private func takeTurn() async {
        do {
            try await database.run { hub in
                var batch = self.waiting.withLock { list in
                    defer { list = [] }
                    return list
                }
                let answers = batch.map(\.answer)
                let results = hub.push(batch.map { ($0.station, $0.prepared) })
                // The decoded states are let go of before the answers leave,
                // so that the last hold on them, and their freeing, is the
                // route's (`HubRoutes.push`), not this thread's.
                batch = []
                for (answer, result) in zip(answers, results) { answer.resume(with: result) }
            }
        } catch {
            // `run` throws only what its body throws, and the body throws nothing.
            assertionFailure("the push lane's turn threw \(error)")
        }
    }
}
