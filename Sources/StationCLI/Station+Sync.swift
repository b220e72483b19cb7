import ArgumentParser
import Foundation
import OperatorCommands
import SyncClient
import SyncModel
import SyncStore

extension Station {
    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Push this node's changes to the hub, then pull the hub's changes for this station.",
            discussion: """
                Shows a progress bar on a terminal and plain lines otherwise, then one summary line.

                Exits 1 if the hub could not be reached or anything failed. The data stays safe \
                here, and the next sync resumes where this one stopped.

                Examples:
                  station sync
                  station sync --hub http://hub.local:8080 --token-file S01.token
                """
        )

        @OptionGroup var options: StoreOptions
        @Option(help: "The hub's URL (default: the one given to init).") var hub: String?
        @OptionGroup var tokenInput: TokenInput
        @Option(help: ArgumentHelp("A PEM file of CA certificates to trust for https.", valueName: "path")) var caFile:
            String?
        @Flag(
            help:
                "Print the result as JSON: {pushed, pulled, merged, conflicts, failures: [{kind, id, reason}], requests, bytes_sent, bytes_received, error}."
        )
        var json = false

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                guard let url = hub ?? config.hub else {
                    throw CommandFailure.badInput("no hub URL: pass --hub or set one with init")
                }
                guard let token = try tokenInput.resolve() ?? config.token else {
                    throw CommandFailure.badInput(
                        "no token: give it with --token-file (or $HEALTH_SYNC_TOKEN), or save it with `station config --token-file`"
                    )
                }
                var configuration = HTTPClientConfiguration()
                configuration.caFile = caFile
                let progress = ProgressDisplay(interactive: isatty(1) == 1, silent: json)
                let session = SyncSession(
                    store: store, client: try HTTPClient(configuration: configuration),
                    options: SyncSession.Options(hubURL: url, token: token, station: config.station),
                    progress: { progress.show($0) })
                var failure: SyncError?
                do {
                    try session.run()
                } catch let error as SyncError {
                    failure = error
                }
                progress.finish()
                let report = session.report
                if json { printJSON(Self.json(report, error: failure?.description)) }
                for item in report.failures { printError("failed: \(item.description)") }
                let outcome =
                    failure.map { "incomplete: \($0.description)" } ?? (report.failures.isEmpty ? "ok" : "failures")
                try store.recordSyncOutcome(time: currentTimeMillis(), result: "\(outcome) — \(report.summary)")
                if !json {
                    for notice in report.notices { print(notice) }
                    print(report.summary)
                }
                if let failure { throw CommandFailure.incomplete(failure.description) }
                if !report.failures.isEmpty {
                    throw CommandFailure.incomplete(
                        "\(report.failures.count) entit\(report.failures.count == 1 ? "y" : "ies") could not be synced; see above"
                    )
                }
            }
        }
    }
}

extension Station.Sync {
    static func json(_ report: SyncReport, error: String?) -> JSONValue {
        .object([
            ("pushed", .int(report.pushed)), ("pulled", .int(report.pulled)), ("merged", .int(report.merged)),
            ("conflicts", .int(report.conflicts)),
            (
                "failures",
                .array(
                    report.failures.map { failure in
                        .object([
                            ("kind", .string(failure.kind)), ("id", .string(failure.id)),
                            ("reason", .string(failure.reason)),
                        ])
                    })
            ),
            ("requests", .int(report.requests)), ("bytes_sent", .int(report.bytesSent)),
            ("bytes_received", .int(report.bytesReceived)), ("retired_node", .string(report.retiredNode)),
            ("hub_went_back", .bool(report.hubWentBack)), ("error", .string(error)),
        ])
    }
}

/// A progress bar on a terminal; plain lines when output goes to a file or pipe.
final class ProgressDisplay {
    let interactive: Bool
    let silent: Bool
    private var lastLine = ""

    init(interactive: Bool, silent: Bool = false) {
        self.interactive = interactive
        self.silent = silent
    }

    func show(_ progress: SyncProgress) {
        if silent { return }
        let bytes = Self.size(progress.bytes)
        if interactive {
            var bar = ""
            if let total = progress.total, total > 0 {
                let filled = min(30, progress.done * 30 / total)
                bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] "
                lastLine = "\r\(progress.phase.rawValue) \(bar)\(progress.done)/\(total) items, \(bytes)"
            } else {
                lastLine = "\r\(progress.phase.rawValue) \(progress.done) items, \(bytes)"
            }
            FileHandle.standardOutput.write(Data(lastLine.utf8))
        } else {
            let total = progress.total.map { "/\($0)" } ?? ""
            print("\(progress.phase.rawValue): \(progress.done)\(total) items, \(bytes)")
        }
    }

    func finish() {
        if interactive && !lastLine.isEmpty { print("") }
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1024
            ? "\(bytes) B"
            : bytes < 1 << 20 ? "\(bytes / 1024) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
