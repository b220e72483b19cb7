import ArgumentParser
import Foundation
import OperatorCommands
import SyncModel
import SyncStore

extension Station {
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add, edit, show, list, delete and import resident health records (居民健康档案).",
            discussion: """
                Field names, for --set, CSV headers and JSON keys alike: id, station, name, sex, birth, \
                village, phone, id_number, household, tags, contract_date, note.

                Tags: pregnant, child_0_6, elderly_65, hypertension, diabetes, severe_mental, \
                tuberculosis, disability (or their Chinese names: 孕产妇, 0-6岁儿童, 65岁以上老年人, 高血压, \
                糖尿病, 严重精神障碍, 肺结核, 残疾人).
                """,
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
            abstract: "Add a resident's record; prints its id alone on stdout.",
            discussion: """
                Example:
                  station record add --name 张秀英 --sex F --birth 1958-03-14 \\
                      --village 青禾村 \\
                      --phone 13800001111 --tag elderly_65 --tag hypertension
                """
        )

        @OptionGroup var options: StoreOptions
        @Option(help: "Full name.") var name: String
        @Option(help: "F (female, 女) or M (male, 男).") var sex: String
        @Option(help: "Birth date, YYYY-MM-DD.") var birth: String
        @Option(help: "Village or address.") var village: String?
        @Option(help: "Phone number, digits.") var phone: String?
        @Option(help: "18-character resident ID number; the check digit is verified.") var idNumber: String?
        @Option(help: "Household number.") var household: String?
        @Option(help: "A key-population tag; repeat for several.") var tag: [String] = []
        @Option(help: "Family-doctor contract date, YYYY-MM-DD.") var contractDate: String?
        @Option(help: "A note.") var note: String?

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
                        "id_number: is already the ID number of \(name) (record \(other)): one number, one person; see `station record find`"
                    )
                case .alreadyPresent(let other), .likelyDuplicate(let other):
                    printError("warning: likely the same person as record \(other) (same name, birth date and village)")
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
            abstract: "Change fields of a record. A field in conflict must be settled with `conflicts resolve`.",
            discussion: """
                Examples:
                  station record edit 3f2b8c1e-… --set village=松岭村 \\
                      --set phone=13900002222
                  station record edit 3f2b8c1e-… --unset note --add-tag diabetes \\
                      --remove-tag pregnant
                """
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: "The record's id, or its first or last few characters.") var id: String
        @Option(help: "FIELD=VALUE; repeat for several fields.") var set: [String] = []
        @Option(help: "A field to clear; repeat for several.") var unset: [String] = []
        @Option(help: "A tag to add.") var addTag: [String] = []
        @Option(help: "A tag to remove.") var removeTag: [String] = []

        func run() throws {
            try reporting {
                guard !set.isEmpty || !unset.isEmpty || !addTag.isEmpty || !removeTag.isEmpty else {
                    throw CommandFailure.badInput(
                        "nothing to change: give --set FIELD=VALUE, --unset FIELD, --add-tag or --remove-tag")
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
                    state == before ? "no change to \(state.id): it already holds those values" : "updated \(state.id)")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a record. Its data is kept; an edit made elsewhere meanwhile shows as a conflict.",
            discussion: "Example:\n  station record delete 3f2b8c1e-…"
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: "The record's id, or its first or last few characters.") var id: String

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                let id = try store.resolveID(self.id)
                try store.deleteRecord(id: id, clerk: options.clerkName(config))
                print("deleted \(id)")
            }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring back a deleted record, as it was before the delete.",
            discussion: "Example:\n  station record restore 3f2b8c1e-…"
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: "The record's id, or its first or last few characters.") var id: String

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                let id = try store.resolveID(self.id)
                try store.restoreRecord(id: id, clerk: options.clerkName(config))
                print("restored \(id)")
            }
        }
    }
}
