/// A refusal by the hub, with the HTTP status that carries it and a message
/// a person can act on.
public struct HubError: Error, Equatable, Sendable, CustomStringConvertible {
    public let status: Int
    public let message: String

    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public static func badRequest(_ message: String) -> HubError { HubError(status: 400, message) }
    public static func unauthorized(_ message: String) -> HubError { HubError(status: 401, message) }
    public static func forbidden(_ message: String) -> HubError { HubError(status: 403, message) }
    public static func notFound(_ message: String) -> HubError { HubError(status: 404, message) }
    public static func conflict(_ message: String) -> HubError { HubError(status: 409, message) }
    public static func tooLarge(_ message: String) -> HubError { HubError(status: 413, message) }
    public static func unprocessable(_ message: String) -> HubError { HubError(status: 422, message) }

    public var description: String { message }
}
