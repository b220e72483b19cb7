import ArgumentParser
import Foundation
import SyncCore

extension Station {
    struct Tally: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enter and list the monthly screening and service counts.",
            discussion: "Element codes come from the indicator catalog (seeds/catalog.json); `station tally elements` lists them.",
            subcommands: [Set.self, List.self, Elements.self]
        )
    }
}

extension Station.Tally {
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set one month's count of one data element.",
            discussion: """
                The catalog's validation rules are checked against the month's other counts: a broken error rule
                refuses the entry, a broken warning rule is reported.

                Examples:
                  station tally set LIVE_BIRTHS 2026-10 4
                  station tally set NEWBORN_HEARING_SCREENED 2026-10 3 --comment "one referred to the county hospital"
                """
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: "The data-element code, e.g. LIVE_BIRTHS.") var element: String
        @Argument(help: "The month, YYYY-MM.") var period: String
        // Taken raw, so that "-3" reaches the count's own check instead of
        // being read as an unknown option.
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The count: a whole number, 0 or more.", valueName: "value"))
        var value: [String] = []
        @Option(help: "A comment on the figure.") var comment: String?

        func run() throws {
            try reporting {
                guard value.count == 1 else {
                    throw CLIError.badInput(value.isEmpty ? "value is missing: station tally set ELEMENT YYYY-MM COUNT" : "give one count, not \(value.joined(separator: " "))")
                }
                let catalog = Catalog.builtIn
                let code = element.uppercased()
                guard catalog.isKnownElement(code) else {
                    throw CLIError.badInput("unknown data element '\(element)'; did you mean \(catalog.suggestions(for: element).joined(separator: ", "))?")
                }
                let month = try Period.validated(period)
                let count = try TallyField.count(value[0])
                let (store, config) = try options.open()
                defer { store.close() }
                var values: [String: Int] = [:]
                for state in try store.entities(.tally, station: config.station, period: month.description) {
                    if let key = try? TallyKey(entityID: state.id), let figure = state.value("value").flatMap(Int.init) {
                        values[key.element] = figure
                    }
                }
                values[code] = count
                var warnings: [String] = []
                for rule in catalog.rules(involving: code) where rule.holds(values) == false {
                    let text = "\(rule.nameZH) — \(rule.left) \(rule.operator) \(rule.right)"
                    if rule.severity == "error" {
                        throw CLIError.badInput("\(code) = \(count) breaks rule \(rule.code): \(text)")
                    }
                    warnings.append("warning: rule \(rule.code): \(text)")
                }
                try store.setTally(TallyKey(station: config.station, period: month, element: code), value: count,
                                   comment: comment, clerk: options.clerkName)
                for warning in warnings { printError(warning) }
                print("\(code) \(month) = \(count)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List tallies, optionally for one month.",
            discussion: "Examples:\n  station tally list --period 2026-10\n  station tally list --json"
        )

        @OptionGroup var options: StoreOptions
        @Option(help: "Only this month, YYYY-MM.") var period: String?
        @Flag(help: "Print a JSON array of {id, station, element, period, value, comment, deleted, conflicts}.") var json = false

        func run() throws {
            try reporting {
                let month = try period.map { try Period.validated($0) }
                let (store, config) = try options.open()
                defer { store.close() }
                let tallies = try store.entities(.tally, station: config.station, period: month?.description)
                if json {
                    print(String(decoding: EntityRendering.talliesJSON(tallies), as: UTF8.self))
                    return
                }
                let catalog = Catalog.builtIn
                var table = TextTable(headers: ["PERIOD", "ELEMENT", "名称", "VALUE", "COMMENT"], alignRight: [3])
                for state in tallies {
                    guard let key = try? TallyKey(entityID: state.id) else { continue }
                    let value = state.isInConflict("value") ? "⚠ " + state.candidates("value").compactMap(\.value).joined(separator: " / ") : (state.value("value") ?? "")
                    table.add([key.period.description, key.element, catalog.element(key.element)?.nameZH ?? "", value, state.value("comment") ?? ""])
                }
                print(table.render())
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
}
