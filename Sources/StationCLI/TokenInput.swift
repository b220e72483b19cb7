import ArgumentParser
import Foundation
import OperatorCommands

/// The ways to give a station's token. A file or $HEALTH_SYNC_TOKEN keep it
/// out of the process list and the shell's history; --token stays for scripts.
struct TokenInput: ParsableArguments {
    @Option(help: ArgumentHelp("A file holding the station's token (its first line).", valueName: "path"))
    var tokenFile: String?
    @Option(
        help:
            "The station's token. Other users of this computer can see it while the command runs: prefer --token-file or $HEALTH_SYNC_TOKEN."
    )
    var token: String?

    func validate() throws {
        if token != nil && tokenFile != nil { throw ValidationError("give --token or --token-file, not both") }
    }

    /// The token given, if any: --token, --token-file, else (when
    /// `environment`) $HEALTH_SYNC_TOKEN.
    func resolve(environment: Bool = true) throws -> String? {
        let given: String?
        if let token {
            given = token
        } else if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw CommandFailure.badInput("cannot read the token file \(tokenFile)")
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
                "the token is empty or holds spaces: copy it again from `hub station add` or `hub station rotate`")
        }
        return given
    }
}
