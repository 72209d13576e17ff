import CloudModel
import Testing

struct CapacityTests {
    @Test(
        "canAllocate: used + reserved + amount <= truncated total × factor",
        arguments: [
            (used: 0, reserved: 0, total: 1000, factor: 1.0, amount: 1000, fits: true),
            (used: 1, reserved: 0, total: 1000, factor: 1.0, amount: 1000, fits: false),
            (used: 500, reserved: 500, total: 1000, factor: 1.0, amount: 1, fits: false),
            (used: 1000, reserved: 0, total: 1000, factor: 2.0, amount: 1000, fits: true),
            (used: 1000, reserved: 1, total: 1000, factor: 2.0, amount: 1000, fits: false),
            (used: 0, reserved: 0, total: 3, factor: 1.5, amount: 4, fits: true),
            (used: 0, reserved: 0, total: 3, factor: 1.5, amount: 5, fits: false),
            (used: 0, reserved: 0, total: 0, factor: 1.0, amount: 0, fits: true),
        ]
    )
    func canAllocate(used: Int, reserved: Int, total: Int, factor: Double, amount: Int, fits: Bool) {
        let capacity = Capacity(used: used, reserved: reserved, total: total, overprovisioningFactor: factor)
        #expect(capacity.canAllocate(amount) == fits)
    }

    @Test func derivedFigures() {
        let capacity = Capacity(used: 300, reserved: 100, total: 1000, overprovisioningFactor: 2)
        #expect(capacity.effectiveTotal == 2000)
        #expect(capacity.allocated == 400)
        #expect(capacity.free == 1600)
        #expect(capacity.percentUsed == 20)
        #expect(capacity.allocatedFraction() == 0.2)
        #expect(capacity.allocatedFraction(adding: 600) == 0.5)
    }

    @Test func emptyAndOvercommitted() {
        #expect(Capacity(used: 0, total: 0).percentUsed == 0)
        #expect(Capacity(used: 1, total: 0).allocatedFraction() == .infinity)
        #expect(Capacity(used: 1200, total: 1000).free == 0)
    }

    @Test func addingKeepsTheFactor() {
        let sum = Capacity(used: 1, reserved: 2, total: 10, overprovisioningFactor: 3)
            .adding(Capacity(used: 4, reserved: 5, total: 20))
        #expect(sum == Capacity(used: 5, reserved: 7, total: 30, overprovisioningFactor: 3))
    }
}
