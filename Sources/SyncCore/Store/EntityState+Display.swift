/// The values a node shows for an entity, as stored in the `display` column
/// for listing and reports.
extension EntityState {
    /// `{"name":"张三","sex":"F",…,"tags":["pregnant"]}` for a record,
    /// `{"value":"12","comment":…}` for a tally; fields without a value are left out.
    func displayJSON() -> String {
        var writer = JSONWriter(capacity: 256)
        writer.raw(UInt8(ascii: "{"))
        var first = true
        for name in fields.keys.sorted() where name != deletedField {
            if kind.isSetField(name) {
                if !first { writer.comma() }
                first = false
                writer.key(name)
                writer.raw(UInt8(ascii: "["))
                for (index, member) in members(name).enumerated() {
                    if index > 0 { writer.comma() }
                    writer.string(member)
                }
                writer.raw(UInt8(ascii: "]"))
            } else if let value = value(name) {
                if !first { writer.comma() }
                first = false
                writer.key(name)
                writer.string(value)
            }
        }
        writer.raw(UInt8(ascii: "}"))
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
