import CloudModel
import Testing

struct VolumeRulesTests {
    @Test func dataSlotsSkipTheCdromAndFillLowestFirst() {
        #expect(VolumeDevices.dataSlots == [1, 2, 4, 5, 6, 7])
        #expect(VolumeDevices.nextFree([0]) == 1)
        #expect(VolumeDevices.nextFree([0, 1, 2]) == 4)
        #expect(VolumeDevices.nextFree([0, 1, 4]) == 2)
        #expect(VolumeDevices.nextFree(Set([0] + VolumeDevices.dataSlots)) == nil)
        #expect(!VolumeDevices.isDataSlot(0))
        #expect(!VolumeDevices.isDataSlot(3))
        #expect(!VolumeDevices.isDataSlot(8))
        #expect(VolumeDevices.isDataSlot(7))
    }

    @Test(arguments: [
        ("HOURLY", "30", true), ("HOURLY", "60", false), ("HOURLY", "30:01", false),
        ("DAILY", "30:02", true), ("DAILY", "30:24", false), ("DAILY", "x:02", false),
        ("WEEKLY", "0:0:7", true), ("WEEKLY", "0:0:8", false), ("MONTHLY", "59:23:28", true),
        ("MONTHLY", "59:23:29", false), ("YEARLY", "1", false),
    ])
    func snapshotSchedulesFollowTheirInterval(interval: String, schedule: String, valid: Bool) {
        #expect(SnapshotSchedule.isValid(schedule, for: interval) == valid)
    }

    @Test func intervalNamesAreCanonicalised() {
        #expect(SnapshotSchedule.interval("daily") == "DAILY")
        #expect(SnapshotSchedule.interval("yearly") == nil)
    }
}
