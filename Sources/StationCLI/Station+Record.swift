import ArgumentParser
import Foundation
import OperatorCommands
import SyncModel
import SyncStore

extension Station {
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Add, edit, show, list, delete and import resident health records (居民健康档案).",
                zh: "添加、修改、查看、列出、删除和导入居民健康档案。"),
            discussion: tr(
                """
                Field names, for --set, CSV headers and JSON keys alike: id, station, name, sex, birth, \
                village, phone, id_number, household, tags, contract_date, note.

                Tags: pregnant, child_0_6, elderly_65, hypertension, diabetes, severe_mental, \
                tuberculosis, disability (or their Chinese names: 孕产妇, 0-6岁儿童, 65岁以上老年人, 高血压, \
                糖尿病, 严重精神障碍, 肺结核, 残疾人).
                """,
                zh: """
                    字段名（--set、CSV 表头和 JSON 键通用）：id, station, name, sex,
                    birth, village, phone, id_number, household, tags, contract_date,
                    note。

                    标签：pregnant, child_0_6, elderly_65, hypertension, diabetes,
                    severe_mental, tuberculosis, disability（也可用中文名：孕产妇、
                    0-6岁儿童、65岁以上老年人、高血压、糖尿病、严重精神障碍、肺结核、
                    残疾人）。
                    """),
            subcommands: [
                Add.self, Edit.self, RecordShowCommand<StoreOptions>.self, RecordListCommand<StoreOptions>.self,
                Delete.self, Restore.self, RecordFindCommand<StoreOptions>.self, Import.self,
            ]
        )
    }
}

extension Station.Record {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Add a resident's record; prints its id alone on stdout.",
                zh: "添加一位居民的档案；在标准输出上只打印档案编号。"),
            discussion: tr(
                """
                Example:
                  station record add --name 张秀英 --sex F --birth 1958-03-14 \\
                      --village 青禾村 \\
                      --phone 13800001111 --tag elderly_65 --tag hypertension
                """,
                zh: """
                    示例：
                      station record add --name 张秀英 --sex F --birth 1958-03-14 \\
                          --village 青禾村 \\
                          --phone 13800001111 --tag elderly_65 --tag hypertension
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Option(help: tr("Full name.", zh: "姓名。")) var name: String
        @Option(help: tr("F (female, 女) or M (male, 男).", zh: "F（女）或 M（男）。")) var sex: String
        @Option(help: tr("Birth date, YYYY-MM-DD.", zh: "出生日期，YYYY-MM-DD。")) var birth: String
        @Option(help: tr("Village or address.", zh: "村或住址。")) var village: String?
        @Option(help: tr("Phone number, digits.", zh: "电话号码，只填数字。")) var phone: String?
        @Option(help: tr("18-character resident ID number; the check digit is verified.", zh: "18 位身份证号；会核验校验码。"))
        var idNumber: String?
        @Option(help: tr("Household number.", zh: "户号。")) var household: String?
        @Option(help: tr("A key-population tag; repeat for several.", zh: "重点人群标签；可重复给出多个。")) var tag: [String] = []
        @Option(help: tr("Family-doctor contract date, YYYY-MM-DD.", zh: "家庭医生签约日期，YYYY-MM-DD。")) var contractDate:
            String?
        @Option(help: tr("A note.", zh: "备注。")) var note: String?

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                var values: [RecordField: String] = [.name: name, .sex: RecordField.normaliseSex(sex), .birth: birth]
                values[.village] = village
                values[.phone] = phone
                values[.idNumber] = idNumber
                values[.household] = household
                values[.contractDate] = contractDate
                values[.note] = note
                let tags = try tag.flatMap { try ReplicaStore.parseTags($0) }
                switch try ResidentIndex(store).match(values, tags: tags) {
                case .idNumberTaken(let other, let name):
                    throw CommandFailure.badInput(
                        tr(
                            "id_number: is already the ID number of \(name) (record \(other)): one number, one person; see `station record find`",
                            zh: "id_number: 已是 \(name)（档案 \(other)）的身份证号：一个号码只对应一个人；见 `station record find`"
                        ))
                case .alreadyPresent(let other), .likelyDuplicate(let other):
                    printError(
                        tr(
                            "warning: likely the same person as record \(other) (same name, birth date and village)",
                            zh: "警告：可能与档案 \(other) 是同一人（姓名、出生日期和村相同）"))
                case .new:
                    break
                }
                let state = try store.addRecord(
                    station: config.station, values: values, tags: tags, clerk: options.clerkName(config))
                print(state.id)
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Change fields of a record. A field in conflict must be settled with `conflicts resolve`.",
                zh: "修改档案字段；冲突字段用 `conflicts resolve` 处理。"),
            discussion: tr(
                """
                Examples:
                  station record edit 3f2b8c1e-… --set village=松岭村 \\
                      --set phone=13900002222
                  station record edit 3f2b8c1e-… --unset note --add-tag diabetes \\
                      --remove-tag pregnant
                """,
                zh: """
                    示例：
                      station record edit 3f2b8c1e-… --set village=松岭村 \\
                          --set phone=13900002222
                      station record edit 3f2b8c1e-… --unset note --add-tag diabetes \\
                          --remove-tag pregnant
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Argument(
            help: tr("The record's id, or its first or last few characters.", zh: "档案编号，或其开头或末尾几位。"))
        var id: String
        @Option(help: tr("FIELD=VALUE; repeat for several fields.", zh: "FIELD=VALUE（字段=值）；可重复给出多个。")) var set:
            [String] = []
        @Option(help: tr("A field to clear; repeat for several.", zh: "要清空的字段；可重复给出多个。")) var unset: [String] = []
        @Option(help: tr("A tag to add.", zh: "要添加的标签。")) var addTag: [String] = []
        @Option(help: tr("A tag to remove.", zh: "要去掉的标签。")) var removeTag: [String] = []

        func run() throws {
            try reporting {
                guard !set.isEmpty || !unset.isEmpty || !addTag.isEmpty || !removeTag.isEmpty else {
                    throw CommandFailure.badInput(
                        tr(
                            "nothing to change: give --set FIELD=VALUE, --unset FIELD, --add-tag or --remove-tag",
                            zh: "没有要修改的内容：请给出 --set FIELD=VALUE、--unset FIELD、--add-tag 或 --remove-tag"))
                }
                let (store, config) = try options.open()
                defer { store.close() }
                var changes: [RecordField: String?] = [:]
                for text in set {
                    let assignment = try Assignment(text)
                    let field = try assignment.recordField()
                    changes[field] = assignment.normalisedValue(for: field)
                }
                for name in unset { changes[try Assignment.recordField(named: name)] = .some(nil) }
                let id = try store.resolveID(self.id)
                let before = try store.entity(.record, id)
                let state = try store.editRecord(
                    id: id, set: changes, addTags: try addTag.flatMap { try ReplicaStore.parseTags($0) },
                    removeTags: try removeTag.flatMap { try ReplicaStore.parseTags($0) },
                    clerk: options.clerkName(config))
                print(
                    state == before
                        ? tr("no change to \(state.id): it already holds those values", zh: "\(state.id) 未修改：已是这些值")
                        : tr("updated \(state.id)", zh: "已更新 \(state.id)"))
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Delete a record. Its data is kept; an edit made elsewhere meanwhile shows as a conflict.",
                zh: "删除档案。数据仍保留；其间别处的修改会显示为冲突。"),
            discussion: tr(
                "Example:\n  station record delete 3f2b8c1e-…", zh: "示例：\n  station record delete 3f2b8c1e-…")
        )

        @OptionGroup var options: StoreOptions
        @Argument(
            help: tr("The record's id, or its first or last few characters.", zh: "档案编号，或其开头或末尾几位。"))
        var id: String

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                let id = try store.resolveID(self.id)
                try store.deleteRecord(id: id, clerk: options.clerkName(config))
                print(tr("deleted \(id)", zh: "已删除 \(id)"))
            }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Bring back a deleted record, as it was before the delete.", zh: "恢复已删除的档案，回到删除前的样子。"),
            discussion: tr(
                "Example:\n  station record restore 3f2b8c1e-…", zh: "示例：\n  station record restore 3f2b8c1e-…")
        )

        @OptionGroup var options: StoreOptions
        @Argument(
            help: tr("The record's id, or its first or last few characters.", zh: "档案编号，或其开头或末尾几位。"))
        var id: String

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                let id = try store.resolveID(self.id)
                try store.restoreRecord(id: id, clerk: options.clerkName(config))
                print(tr("restored \(id)", zh: "已恢复 \(id)"))
            }
        }
    }
}
