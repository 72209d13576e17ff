import CloudModel
import Testing

/// Arithmetic on client-supplied, stored or setting numbers never traps (issue 11 item 1).
struct CheckedArithmeticTests {
    @Test func checkedFormsReportOverflow() {
        #expect(8_589_934_592.checkedMultiplied(by: 1 << 30) == nil)
        #expect(1024.checkedMultiplied(by: 1 << 30) == 1 << 40)
        #expect(Int.max.checkedAdding(1) == nil)
        #expect(Int.min.checkedAdding(-1) == nil)
        #expect(40.checkedAdding(2) == 42)
    }

    @Test func saturatingFormsClampToTheBoundPassed() {
        #expect(Int.max.saturatingMultiplied(by: 2) == .max)
        #expect(Int.max.saturatingMultiplied(by: -2) == .min)
        #expect(Int.min.saturatingMultiplied(by: -1) == .max)
        #expect(Int.max.saturatingAdding(1) == .max)
        #expect(Int.min.saturatingAdding(-1) == .min)
        #expect(Int.min.saturatingSubtracting(1) == .min)
        #expect(Int.max.saturatingSubtracting(-1) == .max)
        #expect([Int.max, 1, 2].saturatingSum() == .max)
        #expect(6.saturatingMultiplied(by: 7) == 42)
    }

    @Test(arguments: [
        (1e308, Int.max), (-1e308, Int.min), (Double.infinity, Int.max), (-Double.infinity, Int.min),
        (Double.nan, 0), (9.223372036854775807e18, Int.max), (2.9, 2), (-2.9, -2),
    ])
    func doublesConvertWithoutTrapping(value: Double, expected: Int) {
        #expect(Int(saturating: value) == expected)
        #expect(Int(checked: value) == (value.isFinite && abs(value) < 9e18 ? expected : nil))
    }

    @Test func capacityWithAnAbsurdFactorOrTotalStaysFinite() {
        let huge = Capacity(used: Int.max, reserved: Int.max, total: Int.max, overprovisioningFactor: 1e308)
        #expect(huge.effectiveTotal == .max)
        #expect(huge.allocated == .max)
        #expect(huge.free == 0)
        #expect(huge.canAllocate(Int.max))
        #expect(huge.adding(huge).total == .max)
        let nan = Capacity(used: 1, total: 1000, overprovisioningFactor: .nan)
        #expect(nan.effectiveTotal == 0)
        #expect(!nan.canAllocate(1))
        #expect(nan.percentUsed == 0)
    }
}
