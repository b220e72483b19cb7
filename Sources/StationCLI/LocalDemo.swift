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
            abstract: tr(
                "Show offline merging between two laptops of one station, in a temporary folder.",
                zh: "在临时文件夹中演示同一卫生站两台电脑之间的离线合并。"),
            discussion: tr("Example:\n  station demo-local", zh: "示例：\n  station demo-local")
        )

        func run() throws {
            var template = Array("/tmp/station-demo-XXXXXX".utf8CString)
            guard let folder = mkdtemp(&template).map({ String(cString: $0) }) else { throw ExitCode.failure }
            defer { _ = try? removeFolder(folder) }
            let front = try ReplicaStore(path: "\(folder)/front-desk.sqlite")
            let back = try ReplicaStore(path: "\(folder)/back-office.sqlite")
            print(
                tr(
                    "two nodes of station S01: front desk \(front.nodeID), back office \(back.nodeID)",
                    zh: "卫生站 S01 的两个节点：前台 \(front.nodeID)，办公室 \(back.nodeID)"))

            let record = try front.addRecord(
                station: "S01",
                values: [.name: "张秀英", .sex: "F", .birth: "1958-03-14", .village: "青禾村", .phone: "13800001111"],
                tags: [.elderly65, .hypertension], clerk: "李护士")
            try back.merge(record, from: .node(front.nodeID))
            print(
                tr(
                    "front desk adds \(record.value("name")!) and the back office receives it",
                    zh: "前台添加了 \(record.value("name")!) 的档案，办公室收到了它"))

            try front.editRecord(id: record.id, set: [.phone: "13922223333"], clerk: "李护士")
            try back.editRecord(id: record.id, set: [.household: "QH-0412"], clerk: "王医生")
            try exchange(front, back, record.id)
            let merged = try front.entity(.record, record.id)!
            print(
                tr(
                    "offline, one changes the phone and the other the household number: merged without conflict",
                    zh: "离线时，一方改了电话，另一方改了户号：合并后没有冲突"))
            print(
                tr(
                    "  phone \(merged.value("phone")!), household \(merged.value("household")!), conflict: \(merged.hasConflict)",
                    zh:
                        "  电话 \(merged.value("phone")!)，户号 \(merged.value("household")!)，冲突：\(merged.hasConflict ? "有" : "无")"
                )
            )

            try front.editRecord(id: record.id, set: [.village: "松岭村"], clerk: "李护士")
            try back.editRecord(id: record.id, set: [.village: "南塘村"], clerk: "王医生")
            try exchange(front, back, record.id)
            let conflicted = try front.entity(.record, record.id)!
            print(tr("both change the village: a conflict, every candidate kept", zh: "双方都改了村：产生冲突，所有候选版本都保留"))
            for (index, candidate) in conflicted.candidates("village").enumerated() {
                let stamp = conflicted.stamps[candidate.dot]
                print(
                    tr(
                        "  \(index + 1). \(candidate.value ?? "(empty)")  by \(stamp?.clerk ?? "?") on node \(candidate.dot.node)",
                        zh:
                            "  \(index + 1). \(candidate.value ?? "（空）")  由 \(stamp?.clerk ?? "?") 在节点 \(candidate.dot.node) 上修改"
                    )
                )
            }
            let resolved = try back.resolve(.record, record.id, field: "village", .take(1), clerk: "王医生")
            try exchange(front, back, record.id)
            let stillInConflict = try front.entity(.record, record.id)!.hasConflict
            print(
                tr(
                    "back office takes candidate 1: village is \(resolved.value("village")!) on both nodes, conflict: \(stillInConflict)",
                    zh: "办公室选用候选版本 1：两个节点上的村都是 \(resolved.value("village")!)，冲突：\(stillInConflict ? "有" : "无")"
                )
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
