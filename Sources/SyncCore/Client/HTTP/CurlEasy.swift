import CCurl
import Foundation
import SyncModel
import SyncStore
import SyncSupport

/// `curl_global_init` is not thread-safe: it runs once, before the first handle.
private let curlGlobalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// One libcurl easy handle. Owns it and frees it; not shared between threads.
/// Reusing it across requests keeps the connection open.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    /// Where libcurl writes a failed transfer's detailed message; it must
    /// outlive every transfer, so it lives as long as the handle.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(HTTPClientError) {
        guard curlGlobalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw HTTPClientError(
                code: Int32(CURLE_FAILED_INIT.rawValue), message: tr("libcurl could not start", zh: "libcurl 无法启动"),
                isRetryable: false)
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(to: 0)
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
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

        errorBuffer[0] = 0
        try check(
            ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            tr("setting the error buffer", zh: "设置错误缓冲区"))
        try check(ccurl_setopt_string(handle, CURLOPT_URL, request.url), tr("setting the URL", zh: "设置 URL"))
        try check(ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), tr("setting NOSIGNAL", zh: "设置 NOSIGNAL"))
        try check(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), tr("setting headers", zh: "设置请求头"))
        // gzip alone, the one encoding the hub sends: fewer header bytes than
        // every encoding libcurl knows, on every request.
        try check(
            ccurl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "gzip"), tr("enabling compression", zh: "启用压缩"))
        try check(
            ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000)),
            tr("setting the connect timeout", zh: "设置连接超时"))
        try check(
            ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(configuration.timeout * 1000)),
            tr("setting the timeout", zh: "设置超时"))
        // Below 1 byte a second for the stall timeout is a stall.
        try check(ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1), "setting the stall limit")
        try check(
            ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(configuration.stallTimeout.rounded()))),
            "setting the stall limit")
        let started = DispatchTime.now().uptimeNanoseconds
        try check(
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS ? 1 : 0),
            tr("setting TLS verification", zh: "设置 TLS 验证"))
        try check(
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0),
            tr("setting TLS verification", zh: "设置 TLS 验证"))
        if let caFile = configuration.caFile {
            try check(ccurl_setopt_string(handle, CURLOPT_CAINFO, caFile), tr("setting the CA file", zh: "设置 CA 文件"))
        }
        try check(
            ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method), tr("setting the method", zh: "设置请求方法"))

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
        try check(
            ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, writeBody),
            tr("setting the body callback", zh: "设置内容回调"))
        try check(
            ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context.toOpaque()),
            tr("setting the body callback", zh: "设置内容回调"))
        try check(
            ccurl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, writeHeader),
            tr("setting the header callback", zh: "设置响应头回调"))
        try check(
            ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context.toOpaque()),
            tr("setting the header callback", zh: "设置响应头回调"))

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
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            var connected: curl_off_t = 0
            _ = ccurl_getinfo_off(handle, CURLINFO_CONNECT_TIME_T, &connected)
            // Connected, and timed out before the whole-request limit: the stall limit.
            if code == CURLE_OPERATION_TIMEDOUT && connected > 0 && elapsed < configuration.timeout - 1 {
                let seconds = Int(configuration.stallTimeout.rounded())
                var error = HTTPClientError(
                    code: Int32(code.rawValue),
                    message: tr(
                        "\(request.method) \(Self.redacted(request.url)): the hub took the connection but sent nothing for \(seconds) s",
                        zh: "\(request.method) \(Self.redacted(request.url))：区平台接受了连接，但 \(seconds) 秒内没有应答"),
                    isRetryable: true)
                error.stalled = true
                throw error
            }
            let tlsProblem: HTTPClientError.TLSProblem? =
                Self.untrusted.contains(code)
                ? .certificateNotTrusted : code == CURLE_SSL_CACERT_BADFILE ? .caFileUnusable : nil
            // For TLS, libcurl's detailed message says which check failed
            // ("unable to get local issuer certificate"); its generic one does not.
            let detail = tlsProblem == nil ? "" : String(cString: errorBuffer)
            var error = HTTPClientError(
                code: Int32(code.rawValue),
                message:
                    "\(request.method) \(Self.redacted(request.url)): \(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)",
                isRetryable: Self.retryable.contains(code))
            error.tlsProblem = tlsProblem
            throw error
        }
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var sent: curl_off_t = 0
        var received: curl_off_t = 0
        _ = ccurl_getinfo_off(handle, CURLINFO_SIZE_UPLOAD_T, &sent)
        _ = ccurl_getinfo_off(handle, CURLINFO_SIZE_DOWNLOAD_T, &received)
        var connects = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        var response = HTTPClient.Response(
            status: status, headers: transfer.headers, body: transfer.body,
            bytesSent: Int(sent), bytesReceived: Int(received))
        response.newConnection = connects > 0
        return response
    }

    /// `doing` is built only when the call failed.
    private func check(_ code: CURLcode, _ doing: @autoclosure () -> String) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw HTTPClientError(
                code: Int32(code.rawValue),
                message: tr(
                    "libcurl failed \(doing()): \(String(cString: curl_easy_strerror(code)))",
                    zh: "libcurl 出错（\(doing())）：\(String(cString: curl_easy_strerror(code)))"),
                isRetryable: false)
        }
    }

    /// The certificate checks that failed: the hub's certificate did not
    /// verify, names another host, or is revoked or pinned otherwise.
    private static let untrusted: Set<CURLcode> = [
        CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
        CURLE_SSL_INVALIDCERTSTATUS,
    ]

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
