import ArgumentParser
import SyncModel
import SyncStore

/// `record show` (station) and `records show` (hub): one record with its conflicts.
public struct RecordShowCommand<Options: ReviewOptions>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "show",
            abstract: tr("Show one record, with its conflicts.", zh: "显示一份档案及其冲突。"),
            discussion: tr("Example:", zh: "示例：")
                + "\n  \(Options.program) \(Options.recordsCommand) show 3f2b8c1e-…\(Options.exampleOptions) --json"
        )
    }

    @OptionGroup public var options: Options
    @Argument(help: tr("The record's id, or its first or last few characters.", zh: "档案编号，或编号开头或末尾的几个字符。"))
    public var id: String
    @Flag(
        help: tr(
            "Print JSON: each field by name, tags, deleted, and conflicts {field: [candidates]}.",
            zh: "输出 JSON：各字段、tags、deleted 和 conflicts（候选版本）。"))
    public var json = false

    public init() {}

    public func run() throws {
        try reportingFailures(program: Options.program) {
            let store = try options.openReplica()
            defer { store.close() }
            let id = try store.resolveID(self.id)
            guard let state = try store.entity(.record, id) else { throw StoreError.notFound(kind: .record, id: id) }
            print(
                json
                    ? EntityRendering.recordJSON(state).text
                    : EntityRendering.recordText(state, program: Options.program))
        }
    }
}
