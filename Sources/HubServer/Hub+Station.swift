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
            subcommands: [Add.self, List.self, Revoke.self, Rotate.self]
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
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.openOrCreate()
                defer { hub.close() }
                print(try hub.addStation(id: id, name: name))
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
                "Print JSON: an array of {id, name, created, revoked, nodes}.",
                zh: "输出 JSON 数组：每项含 id、name、created、revoked、nodes。"))
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
                                    ("nodes", .int(station.nodes)),
                                ])
                            }))
                    return
                }
                var table = TextTable(
                    headers: [
                        tr("ID", zh: "编号"), tr("NAME", zh: "名称"), tr("NODES", zh: "节点数"),
                        tr("REGISTERED", zh: "登记时间"), tr("REVOKED", zh: "吊销时间"),
                    ], alignRight: [2])
                for station in stations {
                    table.add([
                        station.id, station.name, String(station.nodes), Timestamp.text(station.created),
                        station.revoked.map(Timestamp.text) ?? "",
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
