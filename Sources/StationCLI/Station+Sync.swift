import ArgumentParser
import Foundation
import SyncCore

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
                  station sync --hub http://hub.local:8080 --token 3f9a…
                """
        )

        @OptionGroup var options: StoreOptions
        @Option(help: "The hub's URL (default: the one given to init).") var hub: String?
        @Option(help: "The station's token (default: the one given to init).") var token: String?
        @Option(help: ArgumentHelp("A PEM file of CA certificates to trust for https.", valueName: "path")) var caFile: String?
        @Flag(help: "Print the result as JSON: {pushed, pulled, merged, conflicts, failures: [{kind, id, reason}], requests, bytes_sent, bytes_received, error}.")
        var json = false

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                guard let url = hub ?? config.hub else { throw CLIError.badInput("no hub URL: pass --hub or set one with init") }
                guard let token = token ?? config.token else { throw CLIError.badInput("no token: pass --token or set one with init") }
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
                let outcome = failure.map { "incomplete: \($0.description)" } ?? (report.failures.isEmpty ? "ok" : "failures")
                try store.setMeta("last_sync_time", String(currentTimeMillis()))
                try store.setMeta("last_sync_result", "\(outcome) — \(report.summary)")
                if !json { print(report.summary) }
                if let failure { throw CLIError.incomplete(failure.description) }
                if !report.failures.isEmpty { throw CLIError.incomplete("\(report.failures.count) entit\(report.failures.count == 1 ? "y" : "ies") could not be synced; see above") }
            }
        }
    }
}

extension Station.Sync {
    static func json(_ report: SyncReport, error: String?) -> JSONWriter {
        var writer = JSONWriter()
        writer.raw("{\"pushed\":"); writer.int(Int64(report.pushed))
        writer.raw(",\"pulled\":"); writer.int(Int64(report.pulled))
        writer.raw(",\"merged\":"); writer.int(Int64(report.merged))
        writer.raw(",\"conflicts\":"); writer.int(Int64(report.conflicts))
        writer.raw(",\"failures\":[")
        for (index, failure) in report.failures.enumerated() {
            if index > 0 { writer.comma() }
            writer.raw("{\"kind\":"); writer.string(failure.kind)
            writer.raw(",\"id\":"); writer.string(failure.id)
            writer.raw(",\"reason\":"); writer.string(failure.reason)
            writer.raw("}")
        }
        writer.raw("],\"requests\":"); writer.int(Int64(report.requests))
        writer.raw(",\"bytes_sent\":"); writer.int(Int64(report.bytesSent))
        writer.raw(",\"bytes_received\":"); writer.int(Int64(report.bytesReceived))
        writer.raw(",\"error\":"); writer.string(error)
        writer.raw("}")
        return writer
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
        bytes < 1024 ? "\(bytes) B" : bytes < 1 << 20 ? "\(bytes / 1024) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
