import Synchronization

/// The language people read the tools in: English, or Simplified Chinese
/// for the clerks and operators of a Chinese health bureau.
public enum Language: String, Sendable, CaseIterable {
    case en
    case zh

    /// The interface language of this process. Libraries and tests see
    /// English until an executable adopts the person's choice at start
    /// (`adopt(arguments:environment:)`), so a test's expectations never
    /// depend on the machine's locale.
    public static var current: Language {
        get { chosen.withLock { $0 } }
        set { chosen.withLock { $0 = newValue } }
    }

    private static let chosen = Mutex<Language>(.en)

    /// The language a locale name stands for: `zh_CN.UTF-8`, `zh_TW`, `zh`
    /// are Chinese; anything else (`C`, `POSIX`, `en_US.UTF-8`) is English.
    public init(locale: String) {
        self = locale.lowercased().hasPrefix("zh") ? .zh : .en
    }

    /// The language the environment asks for, as POSIX orders it: LC_ALL,
    /// then LC_MESSAGES, then LANG; the first that is set and not empty wins.
    public static func from(environment: [String: String]) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty { return Language(locale: value) }
        }
        return .en
    }

    /// Takes `--lang zh|en` (or `--lang=…`) out of a command line: the
    /// language applies to everything, parsing and help included, so it is
    /// read before the parser sees the arguments. Returns the language asked
    /// for (nil if none) and the arguments without it. An unknown value is
    /// left in place, so the parser refuses it by name.
    public static func takeOption(from arguments: [String]) -> (Language?, [String]) {
        var rest: [String] = []
        var asked: Language?
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" {
                rest.append(contentsOf: arguments[index...])
                break
            }
            if argument == "--lang", index + 1 < arguments.endIndex,
                let language = Language(rawValue: arguments[index + 1].lowercased())
            {
                asked = language
                index += 2
                continue
            }
            if argument.hasPrefix("--lang="),
                let language = Language(rawValue: String(argument.dropFirst(7)).lowercased())
            {
                asked = language
                index += 1
                continue
            }
            rest.append(argument)
            index += 1
        }
        return (asked, rest)
    }
}

/// A message in the interface language: `tr("3 records", zh: "3 条档案")`.
/// Both texts sit together at the one place the message is made, so neither
/// language can lack it, and both take the same interpolated values. Only
/// the text shown is built.
public func tr(_ english: @autoclosure () -> String, zh chinese: @autoclosure () -> String) -> String {
    Language.current == .zh ? chinese() : english()
}
