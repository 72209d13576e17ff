import CloudModel
import Testing

struct AsyncJobStatusTests {
    @Test func numbersAreCloudStacks() {
        #expect(AsyncJobStatus.allCases.map(\.rawValue) == [0, 1, 2, 3])
        #expect(AsyncJobStatus.allCases.filter { !$0.isDone } == [.inProgress])
    }

    @Test func storedStatusesReadTyped() {
        var job = AsyncJob(
            id: "j",
            accountId: "a",
            userId: "u",
            cmd: "c",
            instanceType: "None",
            instanceId: nil,
            created: 0
        )
        #expect(job.jobStatus == .inProgress)
        job.status = 2
        #expect(job.jobStatus == .failed)
        job.status = 9
        #expect(job.jobStatus == nil)
    }
}
