import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import Reporting
import SyncModel

extension Hub {
    struct StationCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "station",
            abstract: tr(
                "Register, list, revoke and give new tokens to the stations that sync with this hub.",
                zh: "登记、列出、吊销与本区平台同步的卫生站，或为其更换令牌。"),
            subcommands: [
                Add.self, List.self, Move.self, CommunityCommand.self, Revoke.self, Rotate.self, NodeKey.self,
            ]
        )
    }
}

extension Hub.StationCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Register a station and print its bearer token, once, alone on stdout.",
                zh: "登记卫生站，并在标准输出上单独输出它的令牌，只输出这一次。"),
            discussion: tr(
                "Only a hash of the token is kept: write it down or hand it to the station now.\n\nExample:",
                zh: "区平台只保存令牌的哈希值：请现在记下令牌，或把它交给卫生站。\n\n示例：")
                + "\n  hub station add S01 --name \"青禾社区卫生服务站\" --db hub.sqlite"
        )

        @Argument(help: tr("The station id: 1–32 letters, digits, '-' or '_'.", zh: "卫生站编号：1–32 个字母、数字、'-' 或 '_'。"))
        var id: String
        @Option(help: tr("The station's name.", zh: "卫生站名称。")) var name: String
        @Option(
            help: tr(
                "The township or street unit it belongs to (see `hub unit add`).",
                zh: "所属的镇或街道单位（见 `hub unit add`）。"))
        var unit: String?
        @Option(
            help: tr(
                "urban or rural: targets set for one kind of community judge only its stations.",
                zh: "urban（城市）或 rural（农村）：只针对一类社区的目标只评价该类卫生站。"))
        var community: String?
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.openOrCreate()
                defer { hub.close() }
                print(try hub.addStation(id: id, name: name, unit: unit, community: community))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("List registered stations.", zh: "列出已登记的卫生站。"),
            discussion: tr("Example:", zh: "示例：") + "\n  hub station list --db hub.sqlite --json"
        )

        @OptionGroup var database: DatabaseOption
        @Flag(
            help: tr(
                "Print JSON: an array of {id, name, created, revoked, nodes, unit, community}.",
                zh: "输出 JSON 数组：每项含 id、name、created、revoked、nodes、unit、community。"))
        var json = false

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                let stations = try hub.stations()
                if json {
                    printJSON(
                        .array(
                            stations.map { station in
                                .object([
                                    ("id", .string(station.id)), ("name", .string(station.name)),
                                    ("created", .string(Timestamp.text(station.created))),
                                    ("revoked", .string(station.revoked.map(Timestamp.text))),
                                    ("nodes", .int(station.nodes)), ("unit", .string(station.unit)),
                                    ("community", .string(station.community)),
                                ])
                            }))
                    return
                }
                var table = TextTable(
                    headers: [
                        tr("ID", zh: "编号"), tr("NAME", zh: "名称"), tr("NODES", zh: "节点数"),
                        tr("REGISTERED", zh: "登记时间"), tr("REVOKED", zh: "吊销时间"), tr("UNIT", zh: "单位"),
                        tr("COMMUNITY", zh: "城乡"),
                    ], alignRight: [2])
                for station in stations {
                    table.add([
                        station.id, station.name, String(station.nodes), Timestamp.text(station.created),
                        station.revoked.map(Timestamp.text) ?? "", station.unit ?? "",
                        Hub.communityText(station.community),
                    ])
                }
                print(table.render())
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("Revoke a station's token: its next request is refused.", zh: "吊销卫生站的令牌：它的下一次请求将被拒绝。"),
            discussion: tr("Example:", zh: "示例：") + "\n  hub station revoke S01 --db hub.sqlite"
        )

        @Argument(help: tr("The station id.", zh: "卫生站编号。")) var id: String
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                try hub.revokeStation(id: id)
            }
            print(tr("revoked \(id)", zh: "已吊销 \(id)"))
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Give a station a new token, printed once, alone on stdout; the old one stops working at once.",
                zh: "为卫生站更换令牌：新令牌在标准输出上单独输出一次，旧令牌立即失效。"),
            discussion: tr(
                """
                For a lost, leaked or revoked token. The station's laptops keep everything they hold: give each the
                new token with `station config --token-file FILE` (or --token), then sync.

                Example:
                """,
                zh: """
                    用于令牌丢失、泄露或被吊销时。卫生站的电脑上已有的数据都会保留：
                    用 `station config --token-file FILE`（或 --token）
                    给每台电脑配上新令牌，然后同步。

                    示例：
                    """)
                + "\n  hub station rotate S01 --db hub.sqlite > S01.token"
        )

        @Argument(help: tr("The station id.", zh: "卫生站编号。")) var id: String
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                print(try hub.rotateToken(station: id))
            }
        }
    }
}

extension Hub.StationCommand {
    struct NodeKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "node-key",
            abstract: tr(
                "Register the signing key of a laptop that never syncs online, so its USB bundles are accepted.",
                zh: "登记从不联网同步的电脑的签名密钥，以便接受它的 U 盘数据包。"),
            discussion: tr(
                """
                A laptop that syncs online gives the hub its key itself. One that only sends bundles shows its \
                node and signing key in `station status`; read them from its screen (not from a file it sent), \
                since whoever registers a key can send bundles in that laptop's name.

                Example:
                """,
                zh: """
                    联网同步的电脑会自己把密钥交给区平台。只送数据包的电脑，
                    其节点编号和签名密钥显示在 `station status` 中；请从该电脑的
                    屏幕上读取（不要用它送来的文件），因为登记了密钥的人
                    就能以这台电脑的名义送数据包。

                    示例：
                    """)
                + "\n  hub station node-key S01 b9973430571ac75 3f2a…e1 --db hub.sqlite"
        )

        @Argument(help: tr("The station id.", zh: "卫生站编号。")) var id: String
        @Argument(help: tr("The laptop's node id.", zh: "电脑的节点编号。")) var node: String
        @Argument(help: tr("Its signing key, 64 hex digits.", zh: "它的签名密钥，64 位十六进制。")) var key: String
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                try hub.registerNodeKey(station: id, node: node, key: key.lowercased())
            }
            print(tr("registered the signing key of node \(node) of \(id)", zh: "已登记 \(id) 节点 \(node) 的签名密钥"))
        }
    }
}

extension Hub.StationCommand {
    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Put a station in a township or street unit, or take it out with --unit ''.",
                zh: "把卫生站归入某个镇或街道单位；--unit '' 表示移出。"),
            discussion: tr("Example:", zh: "示例：") + "\n  hub station move S01 --unit T01 --db hub.sqlite"
        )

        @Argument(help: tr("The station id.", zh: "卫生站编号。")) var id: String
        @Option(help: tr("The unit id ('' for none).", zh: "单位编号（'' 表示不属于任何单位）。")) var unit: String
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                try hub.moveStation(id, toUnit: unit.isEmpty ? nil : unit)
            }
            print(
                unit.isEmpty
                    ? tr("\(id) belongs to no unit", zh: "\(id) 不属于任何单位")
                    : tr("\(id) is in unit \(unit)", zh: "\(id) 已归入单位 \(unit)"))
        }
    }
}

extension Hub.StationCommand {
    struct CommunityCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "community",
            abstract: tr(
                "Say whether a station serves an urban or a rural community, or '' for unknown.",
                zh: "设定卫生站服务城市社区还是农村；'' 表示未知。"),
            discussion: tr(
                """
                A target a plan sets for urban communities only (家庭医生签约 90 % in the cities) is judged over \
                urban stations alone; rural ones stay listed, flagged scope:urban, out of the sum. A station with \
                no community set counts in, and the report names it.

                Example:
                """,
                zh: """
                    计划只针对城市社区的目标（如城市家庭医生签约 90%）只评价城市卫生站；
                    农村卫生站仍列出，标记 scope:urban，不计入合计。未设定的卫生站
                    照常计入，报表会列出它们。

                    示例：
                    """)
                + "\n  hub station community S01 rural --db hub.sqlite"
        )

        @Argument(help: tr("The station id.", zh: "卫生站编号。")) var id: String
        @Argument(help: tr("urban, rural, or '' for unknown.", zh: "urban（城市）、rural（农村），或 '' 表示未知。"))
        var community: String
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                try hub.setCommunity(id, to: community)
                let stored = try hub.stations().first { $0.id == id }?.community
                let shown = stored == nil ? tr("community not set", zh: "城乡类型未设定") : Hub.communityText(stored)
                print(tr("\(id): \(shown)", zh: "\(id)：\(shown)"))
            }
        }
    }
}

extension Hub {
    /// A station's community in the reader's language; empty when not set.
    static func communityText(_ community: String?) -> String {
        switch community {
        case "urban": return tr("urban", zh: "城市")
        case "rural": return tr("rural", zh: "农村")
        default: return ""
        }
    }
}
