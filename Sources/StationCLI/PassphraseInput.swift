import Foundation
import OperatorCommands
import SyncModel

#if canImport(Glibc)
    import Glibc
#endif

/// Where an encrypted store's passphrase comes from: $HEALTH_SYNC_PASSPHRASE,
/// else typed at the terminal with echo off. Never from the command line,
/// which every user of the computer can read while the command runs.
enum PassphraseInput {
    /// The passphrase of the store (or, for `init --encrypt`, the new one).
    static let variable = "HEALTH_SYNC_PASSPHRASE"
    /// The new passphrase for `station passphrase`.
    static let newVariable = "HEALTH_SYNC_NEW_PASSPHRASE"
    static let minimumLength = 8

    /// Whether the passphrase of the store comes from `variable`.
    static var fromEnvironment: Bool { environment(variable) != nil }

    /// The passphrase of the existing encrypted store at `path`.
    static func existing(for path: String) throws -> String {
        if let given = environment(variable) { return given }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure.badInput(
                tr(
                    "\(path) is encrypted and no passphrase was given: set $\(variable), or run the command at a terminal to type it",
                    zh: "\(path) 已加密，但没有给出口令：请设置 $\(variable)，或在终端上运行命令并输入口令"))
        }
        return try prompt(tr("Passphrase for \(path): ", zh: "\(path) 的口令："))
    }

    /// A new passphrase: from `variable`, or typed twice at the terminal.
    static func new(from variable: String, prompt question: String) throws -> String {
        let passphrase: String
        if let given = environment(variable) {
            passphrase = given
        } else {
            guard isatty(STDIN_FILENO) == 1 else {
                throw CommandFailure.badInput(
                    tr(
                        "no new passphrase was given: set $\(variable), or run the command at a terminal to type it",
                        zh: "没有给出新口令：请设置 $\(variable)，或在终端上运行命令并输入口令"))
            }
            passphrase = try prompt(question)
            guard try prompt(tr("Type it again: ", zh: "再输入一次：")) == passphrase else {
                throw CommandFailure.badInput(
                    tr("the two passphrases typed differ: nothing was changed", zh: "两次输入的口令不一致：未做任何修改"))
            }
        }
        guard passphrase.count >= minimumLength, !passphrase.allSatisfy(\.isWhitespace) else {
            throw CommandFailure.badInput(
                tr(
                    "a passphrase has at least \(minimumLength) characters (a few words are easier to remember than symbols)",
                    zh: "口令至少 \(minimumLength) 个字符（几个词比一串符号好记）"))
        }
        return passphrase
    }

    private static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Asks on standard error and reads one line from the terminal with echo off.
    private static func prompt(_ question: String) throws -> String {
        FileHandle.standardError.write(Data(question.utf8))
        var hidden = termios()
        let canHide = tcgetattr(STDIN_FILENO, &hidden) == 0
        if canHide {
            savedTerminal = hidden
            // Ctrl-C at the prompt must not leave the terminal silent.
            signal(SIGINT, restoreTerminalAndExit)
            hidden.c_lflag &= ~tcflag_t(ECHO)
            hidden.c_lflag |= tcflag_t(ECHONL)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden)
        }
        let line = readLine(strippingNewline: true)
        if canHide {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal)
            signal(SIGINT, SIG_DFL)
        }
        guard let line, !line.isEmpty else {
            throw CommandFailure.badInput(tr("no passphrase was typed", zh: "没有输入口令"))
        }
        return line
    }
}

/// The terminal's settings before echo went off, for the SIGINT handler
/// (which can capture nothing). Written before the handler is installed.
nonisolated(unsafe) private var savedTerminal = termios()

private func restoreTerminalAndExit(_ signal: Int32) {
    tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal)
    _exit(128 + signal)
}
