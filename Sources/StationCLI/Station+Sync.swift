import ArgumentParser
import Foundation
import OperatorCommands
import Reporting
import SyncClient
import SyncModel
import SyncStore

extension Station {
    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Push this node's changes to the hub, then pull the hub's changes for this station.",
                zh: "上传本节点的修改到区平台，再下载本卫生站的修改。"),
            discussion: tr(
                """
                Shows a progress bar on a terminal and plain lines otherwise, then one summary line.

                Exits 1 if the hub could not be reached or anything failed. The data stays safe \
                here, and the next sync resumes where this one stopped.

                The hub's certificate is checked against the CA file saved by init or config (else the \
                system's CAs); --ca-file overrides it for one sync. Plain http to another machine needs \
                `station config --allow-http`, and each such sync warns that the link is not encrypted.

                Examples:
                  station sync
                  station sync --hub https://hub.local:8443 --token-file S01.token
                """,
                zh: """
                    在终端上显示进度条，否则逐行显示进度，最后给出一行汇总。

                    无法连接区平台或有任何失败时，退出码为 1。数据仍安全地保存在本机，
                    下次同步会从中断处继续。

                    区平台的证书按 init 或 config 保存的 CA 文件（否则按系统的 CA）检查；
                    --ca-file 只对本次同步改用另一个文件。通往另一台机器的明文 http 须先
                    `station config --allow-http`，且每次同步都会警告连接未加密。

                    示例：
                      station sync
                      station sync --hub https://hub.local:8443 --token-file S01.token
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Option(help: tr("The hub's URL (default: the one given to init).", zh: "区平台的网址（默认为 init 时给出的网址）。")) var hub:
            String?
        @OptionGroup var tokenInput: TokenInput
        @Option(
            help: ArgumentHelp(
                tr(
                    "A PEM file of CA certificates to trust for https (default: the one init or config saved).",
                    zh: "https 所信任的 CA 证书（PEM 文件；\n默认为 init 或 config 保存的文件）。"),
                valueName: "path"))
        var caFile: String?
        @Flag(
            help:
                tr(
                    "Print the result as JSON: {pushed, pulled, merged, conflicts, failures: [{kind, id, reason}], requests, bytes_sent, bytes_received, error}.",
                    zh:
                        "以 JSON 输出结果：{pushed, pulled, merged, conflicts, failures: [{kind, id, reason}], requests, bytes_sent, bytes_received, error}。"
                )
        )
        var json = false

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                let link = try HubConnection(config: config, hub: hub, tokenInput: tokenInput, caFile: caFile)
                var configuration = link.configuration
                let onTerminal = isatty(1) == 1
                configuration.onRetry = { reason, attempt, attempts in
                    // On its own line, above the progress bar, which redraws itself.
                    printError(
                        (onTerminal ? "\r\u{1B}[K" : "")
                            + tr(
                                "\(reason); trying again (attempt \(attempt) of \(attempts))",
                                zh: "\(reason)；正在重试（第 \(attempt) 次，共 \(attempts) 次）"))
                }
                let progress = ProgressDisplay(interactive: isatty(1) == 1, silent: json)
                let session = SyncSession(
                    store: store, client: try HTTPClient(configuration: configuration),
                    options: SyncSession.Options(hubURL: link.url, token: link.token, station: config.station),
                    progress: { progress.show($0) })
                var failure: SyncError?
                var queued = SyncSession.QueuedOutcome()
                do {
                    try session.run()
                    // Months submitted while offline go once everything this laptop holds has.
                    if session.report.failures.isEmpty { queued = try session.sendQueuedSubmissions() }
                } catch let error as SyncError {
                    failure = error
                }
                progress.finish()
                let report = session.report
                if json { printJSON(Self.json(report, error: failure?.description)) }
                for item in report.failures {
                    printError(tr("failed: \(item.description)", zh: "失败：\(item.description)"))
                }
                let outcome =
                    failure.map { "incomplete: \($0.description)" } ?? (report.failures.isEmpty ? "ok" : "failures")
                try store.recordSyncOutcome(time: currentTimeMillis(), result: "\(outcome) — \(report.summary)")
                if !json {
                    for notice in report.notices { print(notice) }
                    print(report.summary)
                }
                for month in queued.sent {
                    printError(
                        tr("submitted \(config.station) \(month) for review", zh: "已提交 \(config.station) \(month)，等待审核")
                    )
                }
                for (month, reason) in queued.refused {
                    printError(
                        tr(
                            "the hub refused the submission of \(month): \(reason)",
                            zh: "区平台拒绝了 \(month) 的提交：\(reason)"))
                }
                if let failure {
                    var message = failure.description
                    if case .unreachable(let error) = failure, let problem = error.tlsProblem {
                        message += tr(". ", zh: "。") + HubAddress.advice(for: problem, caFile: configuration.caFile)
                    }
                    throw CommandFailure.incomplete(message)
                }
                if !report.failures.isEmpty {
                    throw CommandFailure.incomplete(
                        tr(
                            "\(report.failures.count) entit\(report.failures.count == 1 ? "y" : "ies") could not be synced; see above",
                            zh: "\(report.failures.count) 条数据未能同步；见上文"
                        ))
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
    private var lastPhase: SyncProgress.Phase?

    init(interactive: Bool, silent: Bool = false) {
        self.interactive = interactive
        self.silent = silent
    }

    /// The terminal's width in columns (80 when it cannot be asked).
    static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    func show(_ progress: SyncProgress) {
        if silent { return }
        guard interactive else {
            let total = progress.total.map { "/\($0)" } ?? ""
            let bytes = Self.size(progress.bytes)
            let pace = Self.pace(progress).map { tr(", ", zh: "，") + $0 } ?? ""
            print(
                tr(
                    "\(progress.phase.rawValue): \(progress.done)\(total) items, \(bytes)\(pace)",
                    zh: "\(Self.phaseName(progress.phase))：\(progress.done)\(total) 项，\(bytes)\(pace)"))
            return
        }
        // A new phase keeps the last line of the one before and starts its own.
        if let lastPhase, lastPhase != progress.phase { print("") }
        lastPhase = progress.phase
        // Back to the line's start and clear it: a shorter line leaves nothing behind.
        lastLine = "\r\u{1B}[K" + Self.line(progress, columns: Self.terminalWidth() - 1)
        FileHandle.standardOutput.write(Data(lastLine.utf8))
    }

    /// A phase shorter than this shows no rate: it would only flicker.
    static let paceAfterSeconds = 3.0

    /// The progress line, at most `columns` terminal columns: the phase, a
    /// bar when the total is known and there is room, the counts, then on a
    /// long phase the rate and the time left. What does not fit goes, the
    /// bar first, then the time left, then the rate.
    static func line(_ progress: SyncProgress, columns: Int) -> String {
        let columns = max(1, columns)
        let bytes = size(progress.bytes)
        let phase = "\(tr(progress.phase.rawValue, zh: phaseName(progress.phase))) "
        let counts =
            progress.total.map { tr("\(progress.done)/\($0) items, \(bytes)", zh: "\(progress.done)/\($0) 项，\(bytes)") }
            ?? tr("\(progress.done) items, \(bytes)", zh: "\(progress.done) 项，\(bytes)")
        let separator = tr(", ", zh: "，")
        var tail = counts
        for extra in [pace(progress), rate(progress)].compactMap({ $0 }) {
            let candidate = counts + separator + extra
            if DisplayWidth.of(phase) + DisplayWidth.of(candidate) <= columns {
                tail = candidate
                break
            }
        }
        var text = phase
        if let total = progress.total, total > 0 {
            // The bar takes what the rest leaves, so the line never wraps.
            let room = min(30, columns - DisplayWidth.of(phase) - DisplayWidth.of(tail) - 3)
            if room >= 5 {
                let filled = min(room, progress.done * room / total)
                text +=
                    "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: room - filled) + "] "
            }
        }
        return prefix(text + tail, columns: columns)
    }

    /// The rate and, when the total is known, the time left, once a phase
    /// has run long enough for them to mean something.
    static func pace(_ progress: SyncProgress) -> String? {
        guard let rate = rate(progress) else { return nil }
        guard let total = progress.total, progress.done > 0, progress.done < total else { return rate }
        let left = progress.elapsed * Double(total - progress.done) / Double(progress.done)
        return rate + tr(", \(duration(left)) left", zh: "，约剩 \(duration(left))")
    }

    /// Bytes a second over the phase so far; nil on a short phase.
    static func rate(_ progress: SyncProgress) -> String? {
        guard progress.elapsed >= paceAfterSeconds else { return nil }
        let perSecond = Double(progress.bytes) / progress.elapsed
        let amount: String
        if perSecond < 1024 {
            amount = "\(Int(perSecond)) B"
        } else if perSecond < 10 * 1024 {
            amount = String(format: "%.1f KB", perSecond / 1024)
        } else if perSecond < 1_048_576 {
            amount = "\(Int(perSecond / 1024)) KB"
        } else {
            amount = String(format: "%.1f MB", perSecond / 1_048_576)
        }
        return tr("\(amount)/s", zh: "\(amount)/秒")
    }

    /// A time left, rounded as a person reads it.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 90 { return tr("\(whole) s", zh: "\(whole) 秒") }
        if whole < 90 * 60 { return tr("\((whole + 30) / 60) min", zh: "\((whole + 30) / 60) 分钟") }
        return tr("\((whole + 1800) / 3600) h", zh: "\((whole + 1800) / 3600) 小时")
    }

    func finish() {
        if interactive && !lastLine.isEmpty { print("") }
    }

    /// The phase as a Chinese clerk reads it.
    static func phaseName(_ phase: SyncProgress.Phase) -> String {
        switch phase {
        case .push: "上传"
        case .pull: "下载"
        }
    }

    /// The longest start of `line` that fits `columns` terminal columns (a
    /// Chinese character takes two), cut without an ellipsis.
    static func prefix(_ line: String, columns: Int) -> String {
        var used = 0
        var end = line.startIndex
        while end < line.endIndex {
            let width = DisplayWidth.of(String(line[end]))
            guard used + width <= columns else { break }
            used += width
            end = line.index(after: end)
        }
        return String(line[..<end])
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1024
            ? "\(bytes) B"
            : bytes < 1 << 20 ? "\(bytes / 1024) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
