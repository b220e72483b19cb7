import ArgumentParser
import Foundation
import Reporting
import SyncModel

/// A message for swift-argument-parser's `help:` in the interface language.
@_disfavoredOverload
public func tr(_ english: @autoclosure () -> String, zh chinese: @autoclosure () -> String) -> ArgumentHelp {
    ArgumentHelp(Language.current == .zh ? chinese() : english())
}

/// Runs an executable's root command in the person's language: `--lang`
/// (taken out before parsing), else LC_ALL, LC_MESSAGES or LANG. Help and the
/// parser's own refusals are put into that language too, and printed as the
/// parser would (help on stdout, refusals on stderr with their exit code).
public enum CommandLineRunner {
    /// The arguments after the program's name, with the language adopted.
    static func adoptLanguage() -> [String] {
        let (asked, arguments) = Language.takeOption(from: Array(CommandLine.arguments.dropFirst()))
        Language.current = asked ?? Language.from(environment: ProcessInfo.processInfo.environment)
        return arguments
    }

    public static func main<Root: ParsableCommand>(_ root: Root.Type) -> Never {
        let arguments = adoptLanguage()
        do {
            var command = try root.parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch {
            fail(root, error)
        }
    }

    public static func main<Root: AsyncParsableCommand>(_ root: Root.Type) async -> Never {
        let arguments = adoptLanguage()
        do {
            var command = try root.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            fail(root, error)
        }
    }

    static func fail<Root: ParsableCommand>(_ root: Root.Type, _ error: Error) -> Never {
        let code = root.exitCode(for: error)
        let text = parserText(root.fullMessage(for: error))
        if !text.isEmpty {
            if code == .success {
                print(text)
            } else {
                // The parser's refusals quote what was typed: shown escaped.
                FileHandle.standardError.write(Data((TerminalText.escaped(text, keepingLineBreaks: true) + "\n").utf8))
            }
        }
        Foundation.exit(code.rawValue)
    }

    /// swift-argument-parser's fixed words (headings, its own option, its
    /// refusals) in the interface language; our own texts are already in it.
    public static func parserText(_ text: String) -> String {
        guard Language.current == .zh else { return text }
        var result = text
        for (english, chinese) in parserWords {
            result = result.replacingOccurrences(of: english, with: chinese)
        }
        return result
    }

    /// Longest first where one contains another.
    static let parserWords: [(String, String)] = [
        ("OVERVIEW: ", "概述："),
        ("USAGE: ", "用法："),
        ("Usage: ", "用法："),
        ("ARGUMENTS:", "参数："),
        ("OPTIONS:", "选项："),
        ("SUBCOMMANDS:", "子命令："),
        ("Show help information.", "显示帮助。"),
        ("Show the version.", "显示版本。"),
        ("(default: ", "(默认："),
        ("(values: ", "(可选值："),
        ("; default as flag: ", "；仅写选项时："),
        ("; default: ", "；默认："),
        ("Help:  ", "帮助："),
        ("Error: ", "错误："),
        ("Missing expected argument ", "缺少参数 "),
        ("Unknown option ", "未知选项 "),
        (". Did you mean ", "。是否要用 "),
        ("Missing value for ", "缺少取值："),
        ("Unexpected argument ", "多余的参数 "),
        ("The value ", "取值 "),
        (" is invalid for ", " 不适用于 "),
        ("' for detailed help.", "' 查看详细帮助。"),
        ("' for more information.", "' 查看更多说明。"),
        ("See '", "用 '"),
        ("<subcommand>", "<子命令>"),
    ]
}
