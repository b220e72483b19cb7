import ArgumentParser
import Foundation
import OperatorCommands
import Reporting
import SyncModel
import SyncStore

extension Station {
    struct Tally: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enter and list the monthly screening and service counts.",
            discussion:
                "Element codes come from the indicator catalog (seeds/catalog.json); `station tally elements` lists them.",
            subcommands: [SetCommand.self, Delete.self, TallyListCommand<StoreOptions>.self, Elements.self]
        )
    }
}

extension Station.Tally {
    struct SetCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set one month's count of one data element.",
            discussion: """
                The catalog's validation rules are checked against the month's other counts: a broken error rule
                refuses the entry, a broken warning rule is reported.

                Examples:
                  station tally set LIVE_BIRTHS 2026-10 4
                  station tally set NEWBORN_HEARING_SCREENED 2026-10 3 \\
                      --comment "one referred to the county hospital"
                """
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: "The data-element code, e.g. LIVE_BIRTHS.") var element: String
        @Argument(help: "The month, YYYY-MM.") var period: String
        // Taken raw, so that "-3" reaches the count's own check instead of
        // being read as an unknown option.
        @Argument(
            parsing: .allUnrecognized, help: ArgumentHelp("The count: a whole number, 0 or more.", valueName: "value"))
        var value: [String] = []
        @Option(help: "A comment on the figure.") var comment: String?

        func run() throws {
            try reporting {
                guard value.count == 1 else {
                    throw CommandFailure.badInput(
                        value.isEmpty
                            ? "value is missing: station tally set ELEMENT YYYY-MM COUNT"
                            : "give one count, not \(value.joined(separator: " "))")
                }
                let catalog = Catalog.builtIn
                let code = element.uppercased()
                guard catalog.isKnownElement(code) else {
                    throw CommandFailure.badInput(
                        "unknown data element '\(element)'; did you mean \(catalog.suggestions(for: element).joined(separator: ", "))?"
                    )
                }
                let month = try Period.validated(period)
                let count = try TallyField.count(value[0])
                let (store, config) = try options.open()
                defer { store.close() }
                let key = TallyKey(station: config.station, period: month, element: code)
                let warnings = try TallyRuleCheck.check(key, value: count, in: store, catalog: catalog)
                try store.setTally(key, value: count, comment: comment, clerk: options.clerkName(config))
                for warning in warnings { printError(warning) }
                print("\(code) \(month) = \(count)")
            }
        }
    }

    struct Elements: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the data elements a station can tally.",
            discussion: "Example:\n  station tally elements"
        )

        func run() throws {
            var table = TextTable(headers: ["CODE", "名称", "NAME", "UNIT"])
            for element in Catalog.builtIn.dataElements {
                table.add([element.code, element.nameZH, element.nameEN, element.unit])
            }
            print(table.render(maxColumnWidth: 50))
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear one month's count of one data element; `tally set` enters it again.",
            discussion: "Example:\n  station tally delete LIVE_BIRTHS 2026-10"
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: "The data-element code, e.g. LIVE_BIRTHS.") var element: String
        @Argument(help: "The month, YYYY-MM.") var period: String

        func run() throws {
            try reporting {
                let month = try Period.validated(period)
                let (store, config) = try options.open()
                defer { store.close() }
                let key = TallyKey(station: config.station, period: month, element: element.uppercased())
                try store.deleteTally(key, clerk: options.clerkName(config))
                print("cleared \(key.element) \(month)")
            }
        }
    }
}
