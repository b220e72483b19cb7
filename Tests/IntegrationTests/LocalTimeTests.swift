import Foundation
import Testing

import SyncTestSupport

/// "Today" is the clinic's day, and times print in its time zone: at 02:15
/// in Beijing a birth on that date is not "in the future".
@Suite struct LocalTimeTests {
    let directory = TemporaryDirectory()

    /// The date now in a zone `hours` ahead of UTC, as clerks type it.
    func today(hoursAheadOfUTC hours: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: hours * 3600)
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }

    func addBirth(_ date: String, zone: String, db: String) throws -> CommandResult {
        try CommandRunner.run(
            "station", ["record", "add", "--name", "新生儿", "--sex", "M", "--birth", date, "--db", db],
            environment: ["TZ": zone])
    }

    @Test func aBirthTodayInTheClinicsZoneIsAcceptedWhateverUTCSays() throws {
        let node = StationNode(db: directory.file("tz.sqlite"))
        #expect(try node.run("init", "--station", "S01", "--name", "x").status == 0)
        // Kiritimati is 14 hours ahead of UTC, Pago Pago 11 behind: at any
        // moment at least one of them is on another day than UTC.
        let ahead = today(hoursAheadOfUTC: 14)
        let behind = today(hoursAheadOfUTC: -11)
        let accepted = try addBirth(ahead, zone: "Pacific/Kiritimati", db: node.db)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        // The same date is still tomorrow (or later) in Pago Pago.
        let refused = try addBirth(ahead, zone: "Pacific/Pago_Pago", db: node.db)
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("in the future") && refused.stderr.contains(behind), "\(refused.stderr)")
    }

    @Test func timesPrintInTheMachinesZoneWithItsOffset() throws {
        let hub = directory.file("hub.sqlite")
        #expect(try CommandRunner.run("hub", ["station", "add", "S01", "--name", "x", "--db", hub]).status == 0)
        let list = try CommandRunner.run(
            "hub", ["station", "list", "--json", "--db", hub], environment: ["TZ": "Asia/Shanghai"])
        #expect(list.stdout.contains("+08:00"), "\(list.stdout)")
    }
}
