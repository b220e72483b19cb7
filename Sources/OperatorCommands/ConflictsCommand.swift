import ArgumentParser
import Reporting
import SyncModel
import SyncStore

/// `conflicts list|show|resolve`, the same at a station and at the hub;
/// `Options` says where the store is and who is at the keyboard.
public struct ConflictsCommand<Options: ReviewOptions>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "conflicts",
            abstract: tr(
                "Review and settle conflicts: the same field changed differently on two nodes.",
                zh: "查看并处理冲突：同一字段在两个节点上被改成了不同的值。"),
            discussion: tr(
                "A resolution travels to every node with the next syncs.",
                zh: "处理结果会随之后的同步传到每个节点。"),
            subcommands: [List.self, Show.self, Resolve.self]
        )
    }

    public init() {}

    public struct List: ParsableCommand {
        public static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract: tr("List records and tallies in conflict.", zh: "列出有冲突的档案和月报数据。"),
                discussion: tr("Examples:", zh: "示例：")
                    + "\n  \(Options.program) conflicts list\(Options.exampleOptions)\n  \(Options.program) conflicts list\(Options.exampleOptions) --json    # [{id, kind, station, fields}]"
            )
        }

        @OptionGroup public var options: Options
        @Flag(
            help: tr("Print a JSON array of {id, kind, station, fields}.", zh: "输出 JSON 数组：每项含 id、kind、station、fields。")
        )
        public var json = false

        public init() {}

        public func run() throws {
            try reportingFailures(program: Options.program) {
                let store = try options.openReplica()
                defer { store.close() }
                let conflicts = try store.conflicts()
                if json {
                    printJSON(.array(conflicts.map(EntityRendering.conflictSummaryJSON)))
                } else if conflicts.isEmpty {
                    print(tr("no conflicts", zh: "没有冲突"))
                } else {
                    var table = TextTable(headers: [
                        tr("ID", zh: "编号"), tr("KIND", zh: "类型"), tr("WHAT", zh: "对象"), tr("FIELDS", zh: "字段"),
                    ])
                    for state in conflicts {
                        let what = state.kind == .record ? (state.value("name") ?? "") : state.id
                        table.add([
                            state.id, EntityRendering.kindName(state.kind), what,
                            state.conflictingFields.joined(separator: ", "),
                        ])
                    }
                    print(
                        table.render(maxColumnWidth: 50)
                            + tr(
                                "\n\(conflicts.count) in conflict; see `\(Options.program) conflicts show ID`",
                                zh: "\n共 \(conflicts.count) 项有冲突；用 `\(Options.program) conflicts show ID` 查看"))
                }
            }
        }
    }

    public struct Show: ParsableCommand {
        public static var configuration: CommandConfiguration {
            CommandConfiguration(
                abstract: tr(
                    "Show each conflicting field's candidates side by side: value, who, node, when.",
                    zh: "并列显示每个冲突字段的候选版本：取值、修改人、节点、时间。"),
                discussion: tr("Example:", zh: "示例：")
                    + "\n  \(Options.program) conflicts show 3f2b8c1e-…\(Options.exampleOptions)"
            )
        }

        @OptionGroup public var options: Options
        @Argument(help: tr("The record or tally id from `conflicts list`.", zh: "档案或月报数的编号，见 `conflicts list`。"))
        public var id: String
        @Flag(
            help: tr(
                "Print JSON: {id, kind, fields: {field: [{n, value, node, clerk, time}]}}.",
                zh: "输出 JSON：id、kind、fields（各字段的候选版本）。"))
        public var json = false

        public init() {}

        public func run() throws {
            try reportingFailures(program: Options.program) {
                let store = try options.openReplica()
                defer { store.close() }
                let id = try store.resolveID(self.id)
                let kind = EntityKind(ofID: id)
                guard let state = try store.entity(kind, id) else { throw StoreError.notFound(kind: kind, id: id) }
                if json {
                    printJSON(
                        .object([
                            ("id", .string(state.id)), ("kind", .string(state.kind.rawValue)),
                            ("fields", EntityRendering.conflictsJSON(state)),
                        ]))
                } else if !state.hasConflict {
                    print(
                        tr("\(kind.rawValue) \(id) has no conflict", zh: "\(EntityRendering.kindName(kind)) \(id) 没有冲突")
                    )
                } else {
                    print(EntityRendering.conflictText(state, program: Options.program))
                }
            }
        }
    }

    public struct Resolve: ParsableCommand {
        public static var configuration: CommandConfiguration {
            let (program, more) = (Options.program, Options.exampleOptions)
            let examples = """
                  \(program) conflicts resolve 3f2b8c1e-…\(more) --take 2
                  \(program) conflicts resolve 3f2b8c1e-…\(more) --take 1 --field village
                  \(program) conflicts resolve 3f2b8c1e-…\(more) --set village=松岭村
                  \(program) conflicts resolve S01/2026-10/LIVE_BIRTHS\(more) --set value=5
                """
            return CommandConfiguration(
                abstract: tr(
                    "Settle a conflict: keep one candidate, or enter a new value. The choice travels to every node.",
                    zh: "处理冲突：保留一个候选版本，或录入新值。处理结果会传到每个节点。"),
                discussion: tr(
                    "Several --set are settled together or not at all.\n\nExamples:\n",
                    zh: "多个 --set 一起生效，或者都不生效。\n\n示例：\n") + examples
            )
        }

        @OptionGroup public var options: Options
        @Argument(help: tr("The record or tally id.", zh: "档案或月报数的编号。")) public var id: String
        @Option(
            help: tr("Keep candidate N (as numbered by `conflicts show`).", zh: "保留第 N 个候选版本（序号见 `conflicts show`）。"))
        public var take: Int?
        @Option(
            help: tr("With --take, which field (when several are in conflict).", zh: "配合 --take：处理哪个字段（多个字段冲突时）。"))
        public var field: String?
        @Option(help: tr("FIELD=VALUE: enter a new value instead.", zh: "FIELD=VALUE：改为录入新值。"))
        public var set: [String] = []

        public init() {}

        public func validate() throws {
            guard (take == nil) != set.isEmpty else {
                throw ArgumentParser.ValidationError(
                    tr("give either --take N or --set FIELD=VALUE", zh: "请给出 --take N 或 --set FIELD=VALUE，二者选一"))
            }
        }

        public func run() throws {
            try reportingFailures(program: Options.program) {
                let store = try options.openReplica()
                defer { store.close() }
                let id = try store.resolveID(self.id)
                let settled = try ConflictResolution(store: store, catalog: Catalog.builtIn)
                    .resolve(
                        id: id, take: take, field: field, set: set.map(Assignment.init),
                        actor: options.actorName(in: store))
                for line in settled.warnings { printError(line) }
                for name in settled.fields { print(tr("resolved \(name) of \(id)", zh: "已处理 \(id) 的 \(name)")) }
            }
        }
    }
}
