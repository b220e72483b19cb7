import ArgumentParser
import Foundation
import OperatorCommands
import Reporting
import SyncClient
import SyncModel
import SyncStore

extension Station {
    /// A station's side of submit → review → approve → lock.
    struct ReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: tr(
                "Submit a month to the district once its figures are complete.", zh: "某月的数据齐全后，提交给区里审核。"),
            subcommands: [Submit.self]
        )
    }
}

extension Station.ReportCommand {
    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: tr(
                "Check a month against the rules, sync, and submit it for review.", zh: "按规则核对某月的数，同步后提交审核。"),
            discussion: tr(
                """
                The catalog's error rules must hold, or each broken one be explained with --explain (twins make \
                live births exceed deliveries, say). The month's changes are sent first; the district then approves \
                it, which locks it, or returns it with a reason. After approval, a change is a late correction \
                (`tally set --late-correction`).

                Example:
                  station report submit 2026-10
                """,
                zh: """
                    指标目录的错误规则须全部满足，否则用 --explain 说明每条不满足的
                    原因（例如双胎使活产数多于分娩数）。先发送该月的修改，再由区里
                    审核：通过即锁定，或附原因退回。审核通过后的修改属于补报
                    （`tally set --late-correction`）。

                    示例：
                      station report submit 2026-10
                    """)
        )

        @OptionGroup var options: StoreOptions
        @Argument(help: tr("The month, YYYY-MM.", zh: "月份，YYYY-MM。")) var period: String
        @Option(help: tr("Why an error rule is broken and the figures still right.", zh: "错误规则不满足但数据无误的原因。"))
        var explain: String?
        @OptionGroup var tokenInput: TokenInput

        func run() throws {
            var broken = false
            try reporting {
                let month = try Period.validated(period)
                let (store, config) = try options.open()
                defer { store.close() }
                let (errors, _) = try TallyRuleCheck.findings(
                    station: config.station, period: month, in: store, catalog: Catalog.builtIn)
                if !errors.isEmpty && (explain ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                    for rule in errors { printError(TallyRuleCheck.line(rule)) }
                    printError(
                        tr(
                            "\(month) breaks \(errors.count) error rule(s): fix the figures, or explain with --explain; nothing was submitted",
                            zh: "\(month) 有 \(errors.count) 条错误规则不满足：请改正数据，或用 --explain 说明；未提交"))
                    broken = true
                    return
                }
                let submission = SubmitRequest(period: month, explanation: explain)
                try SubmitRequest.validateExplanation(explain)
                // Kept on this laptop first: without a link, the clerk's
                // submission waits for the next sync or USB export instead of being lost.
                try store.queueSubmission(submission)
                let kept = tr(
                    "the submission of \(month) is kept on this laptop and goes to the hub with the next `station sync` or `station export`",
                    zh: "\(month) 的提交已保存在本机，下次 `station sync` 或 `station export` 时送交区平台")
                let link: HubConnection
                do {
                    link = try HubConnection(config: config, tokenInput: tokenInput)
                } catch {
                    throw CommandFailure.incomplete(tr("\(error); \(kept)", zh: "\(error)；\(kept)"))
                }
                let session = SyncSession(
                    store: store, client: try HTTPClient(configuration: link.configuration),
                    options: SyncSession.Options(hubURL: link.url, token: link.token, station: config.station))
                do {
                    // Everything this laptop holds reaches the hub before the month is submitted.
                    try session.run()
                    guard session.report.failures.isEmpty else {
                        throw CommandFailure.incomplete(
                            tr(
                                "some changes could not be synced (run `station sync` to see them); \(kept) that sends them",
                                zh: "部分修改未能同步（运行 `station sync` 查看）；\(kept)（须先送出这些修改）"))
                    }
                    try session.submit(submission)
                    try store.removeQueuedSubmission(month)
                } catch let error as SyncError {
                    if let reason = error.finalRefusal {
                        // Refused for good (already approved, say): nothing to send again.
                        try store.removeQueuedSubmission(month)
                        throw CommandFailure.incomplete(
                            tr("the hub refused the submission: \(reason)", zh: "区平台拒绝了提交：\(reason)"))
                    }
                    throw CommandFailure.incomplete(
                        tr("\(error.description); \(kept)", zh: "\(error.description)；\(kept)"))
                }
                print(tr("submitted \(config.station) \(month) for review", zh: "已提交 \(config.station) \(month)，等待审核"))
            }
            if broken { throw ExitCode(3) }
        }
    }
}
