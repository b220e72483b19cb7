import ArgumentParser
import Foundation
import OperatorCommands
import SyncModel
import SyncStore

extension Station {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Create this node's store for a station, with a new node id.",
                zh: "为卫生站创建本节点的数据库，并生成新的节点编号。"),
            discussion: tr(
                """
                Two laptops at one clinic each run `init` with the same station id and token: each gets
                its own node id, and they share the station's data through the hub.

                Example:
                  station init --station S01 --name "青禾社区卫生服务站" \\
                      --hub http://hub.local:8080 --token-file S01.token
                """,
                zh: """
                    同一诊所的两台电脑各自用相同的卫生站编号和令牌运行 `init`：
                    各自得到自己的节点编号，通过区平台共享卫生站的数据。

                    示例：
                      station init --station S01 --name "青禾社区卫生服务站" \\
                          --hub http://hub.local:8080 --token-file S01.token
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Option(
            help: tr(
                "The station id the hub registered (letters, digits, '-', '_').",
                zh: "区平台登记的卫生站编号（字母、数字、'-'、'_'）。")) var station: String
        @Option(help: tr("The station's name.", zh: "卫生站名称。")) var name: String
        @Option(help: tr("The hub's URL, e.g. https://hub.example:8080.", zh: "区平台的网址，如 https://hub.example:8080。"))
        var hub: String?
        @OptionGroup var tokenInput: TokenInput

        func run() throws {
            try reporting {
                try Identifiers.validateStation(station, field: "--station")
                if let hub, !(hub.hasPrefix("http://") || hub.hasPrefix("https://")) {
                    throw CommandFailure.badInput(
                        tr(
                            "--hub must start with http:// or https://, not '\(hub)'",
                            zh: "--hub 必须以 http:// 或 https:// 开头，而不是 '\(hub)'"))
                }
                let path = options.path
                let folder = (path as NSString).deletingLastPathComponent
                if !folder.isEmpty {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
                let store = try ReplicaStore(path: path)
                defer { store.close() }
                if let existing = try StationConfig(store) {
                    throw CommandFailure.badInput(
                        tr(
                            "\(path) is already set up for station \(existing.station) (node \(store.nodeID))",
                            zh: "\(path) 已为卫生站 \(existing.station) 建好（节点 \(store.nodeID)）"))
                }
                try store.saveStationSettings(
                    StationSettings(
                        station: station, name: name, hubURL: hub, token: try tokenInput.resolve(),
                        clerk: options.typedClerk))
                // The token is a secret: only this user may read the file.
                chmod(path, 0o600)
                print(
                    tr(
                        "initialised station \(station) (\(name)) at \(path), node \(store.nodeID)",
                        zh: "已初始化卫生站 \(station)（\(name)），数据库 \(path)，节点 \(store.nodeID)"))
            }
        }
    }
}
