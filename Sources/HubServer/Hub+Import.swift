import ArgumentParser
import Foundation
import HubCore
import OperatorCommands

extension Hub {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge a bundle a station exported to a USB stick (`station export`).",
            discussion: """
                The bundle must be signed with the station's current token: the same authorisation as a push.

                Example:
                  hub import /media/usb/S01-2026-10.bundle --db hub.sqlite
                """
        )

        @OptionGroup var database: DatabaseOption
        @Argument(help: "The bundle file.") var file: String

        func run() throws {
            try reporting {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CommandFailure.badInput("cannot read \(file)")
                }
                let hub = try database.open()
                defer { hub.close() }
                let (station, response) = try hub.importBundle([UInt8](data))
                for rejection in response.rejected {
                    printError("refused \(rejection.kind ?? "") \(rejection.id ?? ""): \(rejection.reason)")
                }
                print(
                    "imported from \(station): accepted \(response.accepted), changed \(response.stored), new conflicts \(response.conflicts), refused \(response.rejected.count)"
                )
                if !response.rejected.isEmpty { throw ExitCode.validationFailure }
            }
        }
    }
}
