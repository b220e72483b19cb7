import ArgumentParser
import OperatorCommands

extension Hub {
    struct Records: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "records",
            abstract: "List and show the resident records stations have sent.",
            subcommands: [
                RecordListCommand<HubReviewOptions>.self, RecordShowCommand<HubReviewOptions>.self,
                RecordFindCommand<HubReviewOptions>.self,
            ]
        )
    }

    struct TallyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tally",
            abstract: "Look at the monthly tallies stations have sent.",
            subcommands: [TallyListCommand<HubReviewOptions>.self]
        )
    }
}
