import ArgumentParser
import Foundation
import HubCore
import OperatorCommands
import Reporting
import SyncModel

extension Hub {
    /// The township (镇) or street (街道) units between stations and the district.
    struct UnitCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unit",
            abstract: tr(
                "Register and list the township or street units stations belong to; reports subtotal them.",
                zh: "登记和列出卫生站所属的镇或街道单位；报表按单位小计。"),
            subcommands: [Add.self, List.self]
        )
    }
}

extension Hub.UnitCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("Register a township or street unit.", zh: "登记一个镇或街道单位。"),
            discussion: tr("Example:", zh: "示例：")
                + "\n  hub unit add T01 --name 青禾镇 --db hub.sqlite\n  hub station add S01 --name \"青禾社区卫生服务站\" --unit T01 --db hub.sqlite"
        )

        @Argument(help: tr("The unit id: 1–32 letters, digits, '-' or '_'.", zh: "单位编号：1–32 个字母、数字、'-' 或 '_'。"))
        var id: String
        @Option(help: tr("The unit's name.", zh: "单位名称。")) var name: String
        @OptionGroup var database: DatabaseOption

        func run() throws {
            try reporting {
                let hub = try database.openOrCreate()
                defer { hub.close() }
                try hub.addUnit(id: id, name: name)
            }
            print(tr("registered unit \(id)", zh: "已登记单位 \(id)"))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr("List the units and their stations.", zh: "列出各单位及其卫生站。"),
            discussion: tr("Example:", zh: "示例：") + "\n  hub unit list --db hub.sqlite --json"
        )

        @OptionGroup var database: DatabaseOption
        @Flag(
            help: tr(
                "Print JSON: an array of {id, name, stations}.", zh: "输出 JSON 数组：每项含 id、name、stations。"))
        var json = false

        func run() throws {
            try reporting {
                let hub = try database.open()
                defer { hub.close() }
                let units = try hub.units()
                let stations = try hub.stations()
                func members(_ unit: String) -> [String] { stations.filter { $0.unit == unit }.map(\.id) }
                if json {
                    printJSON(
                        .array(
                            units.map { unit in
                                .object([
                                    ("id", .string(unit.id)), ("name", .string(unit.name)),
                                    ("stations", .strings(members(unit.id))),
                                ])
                            }))
                    return
                }
                var table = TextTable(headers: [
                    tr("ID", zh: "编号"), tr("NAME", zh: "名称"), tr("STATIONS", zh: "卫生站"),
                ])
                for unit in units {
                    table.add([unit.id, unit.name, members(unit.id).joined(separator: " ")])
                }
                print(table.render())
            }
        }
    }
}
