import ArgumentParser
import Foundation
import SyncCore

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
            try Hub.operatorCall {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw HubError.badRequest("cannot read \(file)")
                }
                let store = try database.open()
                defer { store.close() }
                let (station, response) = try store.importBundle([UInt8](data))
                for rejection in response.rejected {
                    FileHandle.standardError.write(Data("refused \(rejection.kind ?? "") \(rejection.id ?? ""): \(rejection.reason)\n".utf8))
                }
                print("imported from \(station): accepted \(response.accepted), changed \(response.stored), new conflicts \(response.conflicts), refused \(response.rejected.count)")
                if !response.rejected.isEmpty { throw ExitCode.validationFailure }
            }
        }
    }
}
