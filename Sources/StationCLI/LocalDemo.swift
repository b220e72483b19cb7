import ArgumentParser
import SyncModel
import SyncStore

#if canImport(Glibc)
    import Glibc
#endif

extension Station {
    /// Two nodes of one station, no network: records written, a concurrent
    /// edit merged, a conflict shown and settled.
    struct LocalDemo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo-local",
            abstract: "Show offline merging between two laptops of one station, in a temporary folder.",
            discussion: "Example:\n  station demo-local"
        )

        func run() throws {
            var template = Array("/tmp/station-demo-XXXXXX".utf8CString)
            guard let folder = mkdtemp(&template).map({ String(cString: $0) }) else { throw ExitCode.failure }
            defer { _ = try? removeFolder(folder) }
            let front = try ReplicaStore(path: "\(folder)/front-desk.sqlite")
            let back = try ReplicaStore(path: "\(folder)/back-office.sqlite")
            print("two nodes of station S01: front desk \(front.nodeID), back office \(back.nodeID)")

            let record = try front.addRecord(
                station: "S01",
                values: [.name: "张秀英", .sex: "F", .birth: "1958-03-14", .village: "青禾村", .phone: "13800001111"],
                tags: [.elderly65, .hypertension], clerk: "李护士")
            try back.merge(record, from: .node(front.nodeID))
            print("front desk adds \(record.value("name")!) and the back office receives it")

            try front.editRecord(id: record.id, set: [.phone: "13922223333"], clerk: "李护士")
            try back.editRecord(id: record.id, set: [.household: "QH-0412"], clerk: "王医生")
            try exchange(front, back, record.id)
            let merged = try front.entity(.record, record.id)!
            print("offline, one changes the phone and the other the household number: merged without conflict")
            print(
                "  phone \(merged.value("phone")!), household \(merged.value("household")!), conflict: \(merged.hasConflict)"
            )

            try front.editRecord(id: record.id, set: [.village: "松岭村"], clerk: "李护士")
            try back.editRecord(id: record.id, set: [.village: "南塘村"], clerk: "王医生")
            try exchange(front, back, record.id)
            let conflicted = try front.entity(.record, record.id)!
            print("both change the village: a conflict, every candidate kept")
            for (index, candidate) in conflicted.candidates("village").enumerated() {
                let stamp = conflicted.stamps[candidate.dot]
                print(
                    "  \(index + 1). \(candidate.value ?? "(empty)")  by \(stamp?.clerk ?? "?") on node \(candidate.dot.node)"
                )
            }
            let resolved = try back.resolve(.record, record.id, field: "village", .take(1), clerk: "王医生")
            try exchange(front, back, record.id)
            print(
                "back office takes candidate 1: village is \(resolved.value("village")!) on both nodes, conflict: \(try front.entity(.record, record.id)!.hasConflict)"
            )
        }

        private func exchange(_ one: ReplicaStore, _ other: ReplicaStore, _ id: String) throws {
            try one.merge(try other.entity(.record, id)!, from: .node(other.nodeID))
            try other.merge(try one.entity(.record, id)!, from: .node(one.nodeID))
        }

        private func removeFolder(_ path: String) throws {
            for name in ["front-desk", "back-office"] {
                for suffix in ["", "-wal", "-shm"] { unlink("\(path)/\(name).sqlite\(suffix)") }
            }
            rmdir(path)
        }
    }
}
