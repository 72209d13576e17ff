import QEMU
import Testing

struct QEMUErrorTests {
    @Test func describesItselfByCodeAndMessage() {
        let error = QEMUError(.commandFailed, "query-status: GenericError: not running")
        #expect(error.description == "commandFailed: query-status: GenericError: not running")
        #expect(error != QEMUError(.timeout, "query-status: GenericError: not running"))
    }
}
