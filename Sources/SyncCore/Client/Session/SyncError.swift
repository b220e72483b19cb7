import SyncModel
import SyncStore
import SyncSupport

/// Why a sync stopped before the end. Whatever was committed stays; the next
/// sync resumes from there.
public enum SyncError: Error, Sendable, CustomStringConvertible {
    case notConfigured(String)
    case unreachable(HTTPClientError)
    case unauthorized(String)
    case hubRefused(status: Int, message: String)
    case badResponse(String)

    public var description: String {
        switch self {
        case .notConfigured(let what):
            return tr("sync is not set up: \(what)", zh: "尚未设置同步：\(what)")
        case .unreachable(let error) where error.tlsProblem == .certificateNotTrusted:
            return tr(
                "the hub's certificate is not trusted (\(error.message)): this laptop cannot tell the hub from an impostor, so it sent nothing more; your data is safe here",
                zh: "区平台的证书不受信任（\(error.message)）：本机无法确认对方确是区平台，因此不再发送数据；数据在本机安全保存")
        case .unreachable(let error) where error.tlsProblem == .caFileUnusable:
            return tr(
                "the CA file could not be read or holds no certificate (\(error.message)); your data is safe here",
                zh: "CA 文件无法读取或其中没有证书（\(error.message)）；数据在本机安全保存")
        case .unreachable(let error):
            return tr(
                "the hub could not be reached (\(error.message)); your data is safe here and the next sync resumes where this one stopped",
                zh: "无法连接区平台（\(error.message)）；数据在本机安全保存，下次同步会从这次中断的地方继续")
        case .unauthorized(let message):
            return tr("the hub refused this station's token: \(message)", zh: "区平台拒绝了本卫生站的令牌：\(message)")
        case .hubRefused(let status, let message):
            return tr("the hub answered \(status): \(message)", zh: "区平台返回 \(status)：\(message)")
        case .badResponse(let message):
            return tr("the hub's answer could not be read: \(message)", zh: "无法读取区平台的应答：\(message)")
        }
    }
}
