import ArgumentParser
import Foundation
import OperatorCommands
import SyncModel

@main
struct Station: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "station",
        abstract: tr(
            "Keep a community health station's resident records and monthly tallies, offline, and sync them with the district hub.",
            zh: "离线管理社区卫生站的居民档案和月报数，并与区平台同步。"),
        discussion: tr(
            """
            Every command takes --db (default $STATION_DB, else \
            ~/.local/share/health-sync/station.sqlite) and --clerk (default $STATION_CLERK), \
            recorded in the audit trail with each change. A store made with `init --encrypt` asks \
            its passphrase at the terminal, or takes $HEALTH_SYNC_PASSPHRASE. Messages are in \
            Chinese with a zh_* locale (LANG, LC_MESSAGES, LC_ALL) or --lang zh, in English with \
            --lang en.

            Exit codes: 0 done; 64 bad input, or a wrong or missing passphrase (nothing was \
            written); 1 sync incomplete (data is \
            safe, sync again); 2 import done in part (the rows named were rejected); 74 the database \
            could not be used (locked, read-only, disk full).

            Start here:
              station init --station S01 --name "青禾社区卫生服务站" \\
                  --hub https://hub.example --token-file S01.token
              station record add --name 张秀英 --sex F --birth 1958-03-14 --village 青禾村
              station tally set LIVE_BIRTHS 2026-10 4
              station sync
            """,
            zh: """
                每个命令都接受 --db（默认 $STATION_DB，否则为
                ~/.local/share/health-sync/station.sqlite）和 --clerk（默认
                $STATION_CLERK），录入员姓名随每次修改记入修改记录。
                用 `init --encrypt` 建立的加密数据库会在终端询问口令，
                或取自 $HEALTH_SYNC_PASSPHRASE。
                界面语言随系统区域设置（LANG 等为 zh_* 时用中文），
                也可用 --lang zh 或 --lang en 指定。

                退出码：0 完成；64 输入有误，或口令不对、没有口令（未写入任何
                数据）；1 同步未完成（数据安全，请再次同步）；2 导入部分完成（所列
                各行被拒绝）；74 数据库无法使用（被锁定、只读或磁盘已满）。

                从这里开始：
                  station init --station S01 --name "青禾社区卫生服务站" \\
                      --hub https://hub.example --token-file S01.token
                  station record add --name 张秀英 --sex F --birth 1958-03-14 --village 青禾村
                  station tally set LIVE_BIRTHS 2026-10 4
                  station sync
                """),
        subcommands: [
            Init.self, Config.self, Passphrase.self, Record.self, Tally.self, Sync.self, ReportCommand.self,
            Status.self,
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
