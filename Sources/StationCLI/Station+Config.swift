import ArgumentParser
import Foundation
import OperatorCommands
import Reporting
import SyncStore

extension Station {
    struct Config: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or change this laptop's hub address, token and clerk; everything it holds stays.",
            discussion: """
                With no option, shows the settings (the token abridged). A new token from `hub station rotate` is
                best given in a file, so it is not left in the shell's history or seen in the process list.

                Examples:
                  station config
                  station config --hub https://hub.example:8443
                  station config --token-file /media/usb/S01.token
                  station config --clerk 周护士
                """
        )

        @OptionGroup var options: StoreOptions
        @Option(help: "The hub's URL, e.g. https://hub.example:8443.") var hub: String?
        @OptionGroup var tokenInput: TokenInput

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                var settings = config.settings
                if let hub {
                    guard hub.hasPrefix("http://") || hub.hasPrefix("https://") else {
                        throw CommandFailure.badInput("--hub must start with http:// or https://, not '\(hub)'")
                    }
                    settings.hubURL = hub
                }
                if let newToken = try tokenInput.resolve(environment: false) { settings.token = newToken }
                if let clerk = options.typedClerk, options.clerk != nil { settings.clerk = clerk }
                if settings != config.settings {
                    try store.saveStationSettings(settings)
                    print("saved")
                }
                let token = settings.token.map {
                    $0.count > 8 ? String($0.prefix(4)) + "…" + String($0.suffix(4)) : "(set)"
                }
                for (label, value) in [
                    ("station", "\(config.station) \(config.name)"), ("node", store.nodeID),
                    ("hub", settings.hubURL ?? "(none)"),
                    ("token", token ?? "(none)"), ("clerk", settings.clerk ?? "(none)"),
                ] {
                    print(DisplayWidth.pad(label, to: 10) + value)
                }
            }
        }
    }
}
