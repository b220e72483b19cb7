import SyncModel

extension HTTPClient.Response {
    /// An answer made in this process, for a transport with the hub on the
    /// other side of a function call (`sync-bench prepare`, counted under
    /// callgrind). `seconds` is what the session takes the exchange to have
    /// taken: a fixed figure keeps its batch sizes the same run to run.
    package init(inProcess status: Int, body: [UInt8], sent: Int, seconds: Double) {
        self.init(status: status, headers: [:], body: body, bytesSent: sent, bytesReceived: body.count)
        self.seconds = seconds
    }
}
