import Foundation

/// What a hub URL says about who can read the link to the hub.
public enum HubLink: Sendable, Equatable {
    /// https: encrypted, and the hub's certificate is checked.
    case encrypted
    /// http to this machine (127.0.0.0/8, ::1, localhost): it never leaves it.
    case loopback
    /// http to another machine: records and the token cross the network in the clear.
    case plain

    /// Classifies `url`, which starts with http:// or https://.
    public init(url: String) {
        if url.lowercased().hasPrefix("https://") {
            self = .encrypted
        } else {
            self = Self.isLoopback(host: Self.host(of: url)) ? .loopback : .plain
        }
    }

    /// The host of `url`, lowercased, without brackets, user or port.
    static func host(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return authority[authority.index(after: authority.startIndex)..<close].lowercased()
        }
        return authority.prefix { $0 != ":" }.lowercased()
    }

    /// Whether `host` names this machine's loopback interface. A name other
    /// than localhost could resolve anywhere, so it does not count.
    static func isLoopback(host: String) -> Bool {
        if host == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { $0.elementsEqual([UInt8](repeating: 0, count: 15) + [1]) }
        }
        return false
    }
}
