import Foundation
import OperatorCommands
import SyncClient
import SyncModel

/// The checks `init`, `config` and `sync` make on how this laptop reaches
/// its hub, and their messages, worded for the clerk at the keyboard.
enum HubAddress {
    /// Refuses a URL that is not http:// or https://.
    static func checkScheme(_ hub: String) throws {
        guard hub.hasPrefix("http://") || hub.hasPrefix("https://") else {
            throw CommandFailure.badInput(
                tr(
                    "--hub must start with http:// or https://, not '\(hub)'",
                    zh: "--hub 必须以 http:// 或 https:// 开头，而不是 '\(hub)'"))
        }
    }

    /// Refuses plain http to another machine unless `allowHTTP`: what init
    /// and config are about to save.
    static func checkOptIn(_ hub: String?, allowHTTP: Bool) throws {
        guard let hub, !allowHTTP, HubLink(url: hub) == .plain else { return }
        throw CommandFailure.badInput(
            tr(
                "\(hub) is plain http to another machine: health records and the token would cross the network unencrypted. Use the hub's https:// address; add --allow-http only for a hub behind a TLS proxy on this LAN, or a test network",
                zh:
                    "\(hub) 是通往另一台机器的明文 http：健康档案和令牌将不加密地在网络上传输。请用区平台的 https:// 地址；只有区平台在本局域网内终结 TLS 的代理之后，或在测试网络中，才加 --allow-http"
            ))
    }

    /// Refuses, at sync, plain http to another machine this laptop was not
    /// told to allow; otherwise the warning to print first, if any.
    static func syncWarning(_ hub: String, allowHTTP: Bool) throws -> String? {
        guard HubLink(url: hub) == .plain else { return nil }
        guard allowHTTP else {
            throw CommandFailure.badInput(
                tr(
                    "\(hub) is plain http to another machine, which this laptop was not told to allow: set the hub's https:// address with `station config --hub`, or, for a hub behind a TLS proxy on this LAN or a test network, `station config --allow-http`",
                    zh:
                        "\(hub) 是通往另一台机器的明文 http，本机未获准使用：请用 `station config --hub` 设为区平台的 https:// 地址；区平台在本局域网内终结 TLS 的代理之后或在测试网络中时，用 `station config --allow-http`"
                ))
        }
        return tr(
            "warning: the link to the hub (\(hub)) is not encrypted: records and the token can be read on the network",
            zh: "警告：与区平台的连接（\(hub)）未加密：网络上可以读到档案和令牌")
    }

    /// The absolute path of a readable PEM file holding a certificate, to
    /// remember: the next sync may run from another folder.
    static func checkedCAFile(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure.badInput(
                tr("cannot read the CA file \(path)", zh: "无法读取 CA 文件 \(path)"))
        }
        guard String(decoding: data, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            throw CommandFailure.badInput(
                tr(
                    "\(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----): --ca-file takes the CA's certificate, as the hub's operator gives it",
                    zh: "\(path) 中没有 PEM 证书（-----BEGIN CERTIFICATE-----）：--ca-file 须是区平台管理员提供的 CA 证书"
                ))
        }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// What to do about a TLS refusal, after the sync's own message.
    /// `caFile` is the CA file this sync trusted (nil: the system's CAs).
    static func advice(for problem: HTTPClientError.TLSProblem, caFile: String?) -> String {
        switch problem {
        case .certificateNotTrusted:
            let trusted =
                caFile.map { tr("the CA file \($0)", zh: "CA 文件 \($0)") } ?? tr("the system's CAs", zh: "系统的 CA")
            return tr(
                "This sync trusted \(trusted). Give the CA certificate the hub's operator uses with --ca-file PATH (`station config --ca-file PATH` remembers it), or ask the operator whether the hub's certificate or address changed",
                zh:
                    "本次同步信任的是：\(trusted)。请用 --ca-file PATH 给出区平台管理员所用的 CA 证书（`station config --ca-file PATH` 可保存），或询问管理员区平台的证书或地址是否有变"
            )
        case .caFileUnusable:
            return tr(
                "Check the file given with --ca-file or saved with `station config --ca-file`",
                zh: "请检查 --ca-file 给出的或用 `station config --ca-file` 保存的文件")
        }
    }
}
