/// What a USB bundle seals (format 3): the push of the laptop's pending
/// changes, and the months its clerk submitted while there was no link, so
/// that a station that never goes online can still submit.
///
///     {"push":{"node":…,"entities":[…]},"submissions":[{"period":"2026-10","explanation":null}]}
///
/// The push is kept as the bytes it was encoded to: the hub decodes it as
/// any push.
public struct BundleContents: Sendable, Equatable {
    public var push: [UInt8]
    public var submissions: [SubmitRequest]

    public init(push: [UInt8], submissions: [SubmitRequest]) {
        self.push = push
        self.submissions = submissions
    }

    public func encoded() -> [UInt8] {
        var bytes = Array(#"{"push":"#.utf8)
        bytes += push
        bytes += Array(#","submissions":["#.utf8)
        for (index, submission) in submissions.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += submission.encoded()
        }
        bytes += Array("]}".utf8)
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> BundleContents {
        try JSONReader.read(bytes) { reader in
            try reader.beginObject(tr("the bundle's contents", zh: "数据包内容"))
            var push: [UInt8]?
            var submissions: [SubmitRequest] = []
            var first = true
            // Each value's bytes, whitespace aside, as the reader skips it.
            func rawValue(_ reader: inout JSONReader) throws -> [UInt8] {
                _ = try reader.peek()
                let start = reader.offset
                try reader.skipValue(depth: 1)
                return Array(bytes[start..<reader.offset])
            }
            while let key = try reader.nextKey(&first) {
                switch key {
                case "push":
                    push = try rawValue(&reader)
                case "submissions":
                    try reader.beginArray(key)
                    var firstItem = true
                    while try reader.nextElement(&firstItem) {
                        submissions.append(try SubmitRequest.decode(try rawValue(&reader)))
                    }
                default:
                    throw reader.schemaError(
                        tr(
                            "unknown key '\(key.prefix(40))' in the bundle's contents",
                            zh: "数据包内容中有未知的键 '\(key.prefix(40))'"))
                }
            }
            try reader.expectEnd()
            guard let push else {
                throw reader.schemaError(tr("the bundle's contents need push", zh: "数据包内容需要 push"))
            }
            return BundleContents(push: push, submissions: submissions)
        }
    }
}
