import SyncModel
import SyncStore
import SyncSupport

extension SyncSession {
    /// Submits a month for review (`POST /v1/submit`), after a sync has sent
    /// everything this node holds: the hub then counts the month as reported.
    public func submit(_ submission: SubmitRequest) throws {
        let response = try clients.send(makeRequest(method: "POST", path: "/v1/submit", body: submission.encoded()))
            .get()
        count(response)
        _ = try Self.decodeOK(response) { _ in () }
    }
}
