import CloudStore
import Testing

struct HostChangeLogTests {
    @Test func changeLogReportsChangedHostsThenEverything() {
        let log = HostChangeLog()
        let start = log.generation
        #expect(log.changes(since: start) == .none)
        log.changed("a")
        log.changed("b")
        log.changed("a")
        #expect(log.changes(since: start) == .hosts(["a", "b"]))
        let middle = log.generation
        log.changed("c")
        #expect(log.changes(since: middle) == .hosts(["c"]))
        log.changedAll()
        #expect(log.changes(since: middle) == .all)
        let after = log.generation
        for index in 0..<5000 { log.changed("h\(index)") }
        #expect(log.changes(since: after) == .all, "the log no longer reaches back that far")
        let recent = log.generation
        log.changed("z")
        #expect(log.changes(since: recent) == .hosts(["z"]))
    }
}
