import ArgumentParser
import Foundation
import OperatorCommands
import SyncModel
import SyncStore
import SyncSupport

extension Station {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the changes the hub has not acknowledged to a bundle file, for a USB stick.",
            discussion: """
                The bundle is signed with the station's token; the hub operator imports it with `hub import FILE`.

                Example:
                  station export --to /media/usb/S01-2026-10.bundle
                """
        )

        @OptionGroup var options: StoreOptions
        @Option(help: ArgumentHelp("The bundle file to write.", valueName: "file")) var to: String

        func run() throws {
            try reporting {
                let (store, config) = try options.open()
                defer { store.close() }
                guard let token = config.token else {
                    throw CommandFailure.badInput("no token: set one with `station init --token` to sign bundles")
                }
                let states = try store.pendingStates()
                let body = PushRequest.encode(node: store.nodeID, encodedStates: states)
                let bundle = StationBundle.make(
                    station: config.station, signature: BundleSignature.sign(token: token, body: body), pushBody: body)
                guard FileManager.default.createFile(atPath: to, contents: Data(bundle)) else {
                    throw CommandFailure.badInput("cannot write \(to)")
                }
                print("wrote \(states.count) change\(states.count == 1 ? "" : "s") to \(to)")
            }
        }
    }
}
