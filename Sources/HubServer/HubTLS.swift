import Foundation
import HummingbirdTLS
import OperatorCommands
import SyncModel

/// The certificate and key `hub serve` speaks TLS with.
enum HubTLS {
    /// A server configuration for HTTP/1.1 over TLS 1.2 or later, from a PEM
    /// certificate chain (the server's certificate first) and its PEM private
    /// key. Each unreadable or malformed file is named in a refusal.
    static func configuration(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        let certificateBytes = try read(certificatePath, option: "--tls-cert")
        let keyBytes = try read(keyPath, option: "--tls-key")
        let chain = (try? NIOSSLCertificate.fromPEMBytes(certificateBytes)) ?? []
        guard !chain.isEmpty else {
            throw CommandFailure.badInput(
                tr(
                    "--tls-cert \(certificatePath) holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                    zh: "--tls-cert \(certificatePath) 中没有 PEM 证书（-----BEGIN CERTIFICATE-----）"))
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: keyBytes, format: .pem)
        } catch {
            throw CommandFailure.badInput(
                tr(
                    "--tls-key \(keyPath) holds no PEM private key, or one protected by a passphrase (not supported: remove it with `openssl pkey -in KEY -out KEY.plain`)",
                    zh: "--tls-key \(keyPath) 中没有 PEM 私钥，或私钥有口令保护（不支持：可用 `openssl pkey -in KEY -out KEY.plain` 去掉口令）"
                ))
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// Why the server could not start with this pair: the TLS library loads
    /// the key against the certificate only when the server starts, and a
    /// key that does not belong to the certificate is the one thing left
    /// that fails there.
    static func mismatch(certificatePath: String, keyPath: String, error: any Error) -> String {
        tr(
            "the key in --tls-key \(keyPath) does not belong to the certificate in --tls-cert \(certificatePath) (\(error))",
            zh: "--tls-key \(keyPath) 中的私钥与 --tls-cert \(certificatePath) 中的证书不匹配（\(error)）")
    }

    /// Whether `error` came from the TLS library (NIOSSL), whose types this
    /// target does not import.
    static func isTLSLibraryError(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("NIOSSL.")
    }

    private static func read(_ path: String, option: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason =
                FileManager.default.fileExists(atPath: path)
                ? tr("cannot be read (permissions?)", zh: "无法读取（权限？）") : tr("does not exist", zh: "不存在")
            throw CommandFailure.badInput(tr("\(option) \(path) \(reason)", zh: "\(option) \(path) \(reason)"))
        }
        return [UInt8](data)
    }
}
