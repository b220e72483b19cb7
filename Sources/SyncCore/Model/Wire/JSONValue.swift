/// A JSON document built from typed values, for the documented `--json`
/// shapes of the commands: keys keep the order they are given in, and a
/// missing value is an explicit null. The sync path writes its bytes with
/// `JSONWriter` directly; this is for output a person's scripts read, and
/// maybe a person in a terminal: strings escape every character the field
/// rules refuse, bidi controls included (`JSONWriter.visibleString`).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (left: JSONValue, right: JSONValue) -> Bool {
        left.encoded() == right.encoded()
    }

    /// A string, or null for nil.
    public static func string(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// A whole number, or null for nil.
    public static func int(_ number: Int?) -> JSONValue { number.map { .int(Int64($0)) } ?? .null }

    /// An array of strings.
    public static func strings(_ texts: [String]) -> JSONValue { .array(texts.map(JSONValue.string)) }

    /// The compact UTF-8 encoding.
    public func encoded() -> [UInt8] {
        var writer = JSONWriter()
        write(into: &writer)
        return writer.bytes
    }

    /// The compact encoding as text, one line.
    public var text: String { String(decoding: encoded(), as: UTF8.self) }

    public func write(into writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .int(let value): writer.int(value)
        case .double(let value): writer.double(value)
        case .string(let value): writer.visibleString(value)
        case .array(let items):
            writer.raw("[")
            for (index, item) in items.enumerated() {
                if index > 0 { writer.comma() }
                item.write(into: &writer)
            }
            writer.raw("]")
        case .object(let members):
            writer.raw("{")
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { writer.comma() }
                writer.visibleString(key)
                writer.raw(UInt8(ascii: ":"))
                value.write(into: &writer)
            }
            writer.raw("}")
        }
    }
}
