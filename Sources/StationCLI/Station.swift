import ArgumentParser
import Foundation
import OperatorCommands

@main
struct Station: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station",
        abstract:
            "Keep a community health station's resident records and monthly tallies, offline, and sync them with the district hub.",
        discussion: """
            Every command takes --db (default $STATION_DB, else \
            ~/.local/share/health-sync/station.sqlite) and --clerk (default $STATION_CLERK), \
            recorded in the audit trail with each change.

            Exit codes: 0 done; 64 bad input (nothing was written); 1 sync incomplete (data is \
            safe, sync again); 2 import done in part (the rows named were rejected); 74 the database \
            could not be used (locked, read-only, disk full).

            Start here:
              station init --station S01 --name "青禾社区卫生服务站" \\
                  --hub https://hub.example --token-file S01.token
              station record add --name 张秀英 --sex F --birth 1958-03-14 --village 青禾村
              station tally set LIVE_BIRTHS 2026-10 4
              station sync
            """,
        subcommands: [
            Init.self, Config.self, Record.self, Tally.self, Sync.self, Status.self,
            ConflictsCommand<StoreOptions>.self,
            Export.self,
            LocalDemo.self,
        ]
    )

    /// Every file this program makes holds health data or a token (the
    /// store, its WAL, bundles): only this user may read them, whatever the umask.
    static func main() {
        umask(0o077)
        CommandLineRunner.main(Station.self)
    }
}
