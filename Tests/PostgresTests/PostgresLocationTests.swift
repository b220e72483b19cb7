import Testing

@testable import SyncStorePostgres

/// `--db postgres://…` parsed, and refused with a reason an operator can act on.
@Suite struct PostgresLocationTests {
    @Test func aFullURLIsParsedIntoItsParts() throws {
        let location = try PostgresLocation(
            parsing: "postgresql://hub%40north:p%3As%2Fw@db.example:6543/health_hub?pool=8", environment: [:])
        #expect(
            location
                == PostgresLocation(
                    host: "db.example", port: 6543, user: "hub@north", password: "p:s/w", database: "health_hub",
                    pool: 8
                ))
        #expect(location.description == "postgres://hub@north@db.example:6543/health_hub?pool=8")
        #expect(!location.description.contains("p:s/w"))
    }

    @Test func portAndPoolHaveDefaultsAndIPv6GoesInBrackets() throws {
        let location = try PostgresLocation(parsing: "postgres://hub@[::1]/hub", environment: [:])
        #expect(location.host == "::1")
        #expect(location.port == 5432)
        #expect(location.pool == 4)
        #expect(location.password == nil)
        #expect(location.description == "postgres://hub@[::1]:5432/hub")
    }

    @Test func thePasswordMayComeFromPGPASSWORDButTheURLWins() throws {
        let fromEnvironment = try PostgresLocation(
            parsing: "postgres://hub@127.0.0.1/hub", environment: ["PGPASSWORD": "from-env"])
        #expect(fromEnvironment.password == "from-env")
        let fromURL = try PostgresLocation(
            parsing: "postgres://hub:in-url@127.0.0.1/hub", environment: ["PGPASSWORD": "from-env"])
        #expect(fromURL.password == "in-url")
    }

    @Test func aBadURLIsRefusedNamingWhatIsWrong() {
        let cases: [(String, PostgresLocationError, String)] = [
            ("mysql://hub@host/hub", .notPostgresURL, "must start with postgres://"),
            ("postgres://hub@host", .missingDatabase, "names no database"),
            ("postgres://hub@host/", .missingDatabase, "names no database"),
            ("postgres://host/hub", .missingUser, "names no user"),
            ("postgres://@host/hub", .missingUser, "names no user"),
            ("postgres://hub@/hub", .missingHost, "names no host"),
            ("postgres://hub@host:54x2/hub", .badPort("54x2"), "port \"54x2\" is not a port"),
            ("postgres://hub@host:70000/hub", .badPort("70000"), "from 1 to 65535"),
            ("postgres://hub@host/hub?pool=0", .badPool("0"), "from 1 to 64"),
            ("postgres://hub@host/hub?pool=65", .badPool("65"), "pool=65"),
            ("postgres://hub@host/hub?pool=many", .badPool("many"), "out of range"),
            ("postgres://hub@host/hub?sslmode=require", .unknownParameter("sslmode"), "\"sslmode\" is unknown"),
            ("postgres://hub@host/a/b", .badDatabase("a/b"), "not a database name"),
            ("postgres://hub:50%zz@host/hub", .badPercentEncoding(part: "password"), "password has a '%'"),
        ]
        for (url, expected, words) in cases {
            #expect(throws: expected, "\(url)") { try PostgresLocation(parsing: url, environment: [:]) }
            #expect(expected.description.contains(words), "\(expected.description)")
        }
    }

    @Test func aRefusalNeverRepeatsThePassword() {
        for url in ["postgres://hub:s3cret@host:99999/hub", "postgres://hub:s3cret@host/hub?x=1"] {
            do {
                _ = try PostgresLocation(parsing: url, environment: [:])
                Issue.record("\(url) was accepted")
            } catch {
                #expect(!error.description.contains("s3cret"))
            }
        }
    }
}
