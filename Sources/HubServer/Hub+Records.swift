import ArgumentParser
import OperatorCommands
import SyncModel

extension Hub {
    struct Records: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "records",
            abstract: tr(
                "List and show the resident records stations have sent.", zh: "列出并显示各卫生站发来的居民档案。"),
            subcommands: [
                RecordListCommand<HubReviewOptions>.self, RecordShowCommand<HubReviewOptions>.self,
                RecordFindCommand<HubReviewOptions>.self,
            ]
        )
    }

    struct TallyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tally",
            abstract: tr("Look at the monthly tallies stations have sent.", zh: "查看各卫生站发来的月报数据。"),
            subcommands: [TallyListCommand<HubReviewOptions>.self]
        )
    }
}
