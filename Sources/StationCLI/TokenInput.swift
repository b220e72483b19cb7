import ArgumentParser
import Foundation
import OperatorCommands
import SyncModel

/// The ways to give a station's token. A file or $HEALTH_SYNC_TOKEN keep it
/// out of the process list and the shell's history; --token stays for scripts.
struct TokenInput: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            tr("A file holding the station's token (its first line).", zh: "存放卫生站令牌的文件（读取第一行）。"),
            valueName: "path"))
    var tokenFile: String?
    @Option(
        help:
            tr(
                "The station's token. Other users of this computer can see it while the command runs: prefer --token-file or $HEALTH_SYNC_TOKEN.",
                zh: "卫生站令牌。命令运行时本机其他用户能看到它：\n最好用 --token-file 或 $HEALTH_SYNC_TOKEN。")
    )
    var token: String?

    func validate() throws {
        if token != nil && tokenFile != nil {
            throw ArgumentParser.ValidationError(
                tr("give --token or --token-file, not both", zh: "--token 与 --token-file 只能给出一个"))
        }
    }

    /// The token given, if any: --token, --token-file, else (when
    /// `environment`) $HEALTH_SYNC_TOKEN.
    func resolve(environment: Bool = true) throws -> String? {
        let given: String?
        if let token {
            given = token
        } else if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw CommandFailure.badInput(
                    tr("cannot read the token file \(tokenFile)", zh: "无法读取令牌文件 \(tokenFile)"))
            }
            given =
                String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map {
                    String($0).trimmingCharacters(in: .whitespaces)
                } ?? ""
        } else if environment {
            given = ProcessInfo.processInfo.environment["HEALTH_SYNC_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        } else {
            given = nil
        }
        if let given, given.isEmpty || given.contains(where: \.isWhitespace) {
            throw CommandFailure.badInput(
                tr(
                    "the token is empty or holds spaces: copy it again from `hub station add` or `hub station rotate`",
                    zh: "令牌为空或含有空格：请从 `hub station add` 或 `hub station rotate` 的输出重新复制"))
        }
        return given
    }
}
