import Foundation

/// Times as the commands print them: ISO 8601 to the second, in the
/// machine's time zone (TZ) with its offset, e.g. 2026-11-30T02:15:07+08:00.
public enum Timestamp {
    /// From milliseconds since 1970.
    public static func text(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone.current
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
