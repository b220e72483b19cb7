import OperatorCommands
import SyncClient
import SyncModel
import SyncStore

/// What every command that talks to the hub needs: its URL (`--hub`, else
/// the saved one), the token (file, environment, else the saved one), the
/// plain-http warning, and the client settings with the CA to trust.
struct HubConnection {
    let url: String
    let token: String
    var configuration: HTTPClientConfiguration

    init(config: StationConfig, hub: String? = nil, tokenInput: TokenInput, caFile: String? = nil) throws {
        guard let url = hub ?? config.hub else {
            throw CommandFailure.badInput(
                tr(
                    "no hub URL: pass --hub, or save one with `station config --hub`",
                    zh: "没有区平台网址：请加 --hub，或用 `station config --hub` 保存"))
        }
        guard let token = try tokenInput.resolve() ?? config.token else {
            throw CommandFailure.badInput(
                tr(
                    "no token: give it with --token-file (or $HEALTH_SYNC_TOKEN), or save it with `station config --token-file`",
                    zh: "没有令牌：请用 --token-file（或 $HEALTH_SYNC_TOKEN）给出，或用 `station config --token-file` 保存"))
        }
        if let warning = try HubAddress.syncWarning(url, allowHTTP: config.settings.allowHTTP) {
            printError(warning)
        }
        self.url = url
        self.token = token
        configuration = HTTPClientConfiguration()
        configuration.caFile = caFile ?? config.settings.caFile
    }
}
