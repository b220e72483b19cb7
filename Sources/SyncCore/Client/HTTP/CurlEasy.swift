import CCurl
import SyncModel
import SyncStore
import SyncSupport

/// `curl_global_init` is not thread-safe: it runs once, before the first handle.
private let curlGlobalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// One libcurl easy handle. Owns it and frees it; not shared between threads.
/// Reusing it across requests keeps the connection open.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer

    init() throws(HTTPClientError) {
        guard curlGlobalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw HTTPClientError(
                code: Int32(CURLE_FAILED_INIT.rawValue), message: "libcurl could not start", isRetryable: false)
        }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Collects what libcurl hands back during one transfer.
    private final class Transfer {
        var body: [UInt8] = []
        var headers: [String: String] = [:]
    }

    /// Performs `request`, blocking the calling thread until it completes.
    func perform(_ request: HTTPClient.Request, configuration: HTTPClientConfiguration) throws(HTTPClientError)
        -> HTTPClient.Response
    {
        curl_easy_reset(handle)
        let transfer = Transfer()
        let context = Unmanaged.passRetained(transfer)
        defer { context.release() }

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        var headers = request.headers
        // libcurl would send `Expect: 100-continue` on large bodies and wait
        // about a second for an answer the server never sends.
        headers["Expect"] = ""
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            headerList = curl_slist_append(headerList, value.isEmpty ? "\(name):" : "\(name): \(value)")
        }

        try check(ccurl_setopt_string(handle, CURLOPT_URL, request.url), "setting the URL")
        try check(ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "setting NOSIGNAL")
        try check(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "setting headers")
        try check(ccurl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""), "enabling compression")
        try check(
            ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000)),
            "setting the connect timeout")
        try check(
            ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(configuration.timeout * 1000)), "setting the timeout")
        try check(
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS ? 1 : 0),
            "setting TLS verification")
        try check(
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0),
            "setting TLS verification")
        if let caFile = configuration.caFile {
            try check(ccurl_setopt_string(handle, CURLOPT_CAINFO, caFile), "setting the CA file")
        }
        try check(ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method), "setting the method")

        let writeBody: ccurl_data_callback = { pointer, size, count, userdata in
            let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
            let total = size * count
            if let pointer, total > 0 {
                pointer.withMemoryRebound(to: UInt8.self, capacity: total) {
                    transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: total))
                }
            }
            return total
        }
        let writeHeader: ccurl_data_callback = { pointer, size, count, userdata in
            let transfer = Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue()
            let total = size * count
            if let pointer, total > 0 {
                let line = pointer.withMemoryRebound(to: UInt8.self, capacity: total) {
                    String(decoding: UnsafeBufferPointer(start: $0, count: total), as: UTF8.self)
                }
                if let colon = line.firstIndex(of: ":") {
                    let name = line[..<colon].lowercased()
                    let value = String(line[line.index(after: colon)...]).trimmingWhitespace()
                    transfer.headers[name] = value
                }
            }
            return total
        }
        try check(ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, writeBody), "setting the body callback")
        try check(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque()), "setting the body callback")
        try check(
            ccurl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, writeHeader), "setting the header callback")
        try check(ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context.toOpaque()), "setting the header callback")

        // The body must stay alive for the whole transfer: libcurl reads it in place.
        let body = request.body ?? []
        let code: CURLcode = body.withUnsafeBufferPointer { buffer in
            if request.body != nil {
                _ = ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(buffer.count))
                _ = ccurl_setopt_pointer(
                    handle, CURLOPT_POSTFIELDS,
                    UnsafeMutableRawPointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 1)))
            }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            throw HTTPClientError(
                code: Int32(code.rawValue),
                message:
                    "\(request.method) \(Self.redacted(request.url)): \(String(cString: curl_easy_strerror(code)))",
                isRetryable: Self.retryable.contains(code))
        }
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var sent: curl_off_t = 0
        var received: curl_off_t = 0
        _ = ccurl_getinfo_off(handle, CURLINFO_SIZE_UPLOAD_T, &sent)
        _ = ccurl_getinfo_off(handle, CURLINFO_SIZE_DOWNLOAD_T, &received)
        return HTTPClient.Response(
            status: status, headers: transfer.headers, body: transfer.body,
            bytesSent: Int(sent), bytesReceived: Int(received))
    }

    private func check(_ code: CURLcode, _ doing: String) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw HTTPClientError(
                code: Int32(code.rawValue),
                message: "libcurl failed \(doing): \(String(cString: curl_easy_strerror(code)))",
                isRetryable: false)
        }
    }

    /// Failures of the link, worth a retry; anything else is ours to fix.
    private static let retryable: Set<CURLcode> = [
        CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR,
        CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_SSL_CONNECT_ERROR,
    ]

    /// The URL without its query, which may carry cursors but never belongs in a log.
    static func redacted(_ url: String) -> String {
        String(url.prefix { $0 != "?" })
    }
}
