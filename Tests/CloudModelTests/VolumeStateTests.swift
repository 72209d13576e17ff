import CloudModel
import Testing

struct VolumeStateTests {
    @Test func rawValuesAreCloudStacks() {
        #expect(
            VolumeState.allCases.map(\.rawValue) == [
                "Allocated", "Creating", "Ready", "Migrating", "Snapshotting", "RevertSnapshotting", "Resizing",
                "Expunging", "Expunged", "Destroy", "Destroying", "UploadOp", "Copying", "Uploaded", "NotUploaded",
                "UploadInProgress", "UploadError", "UploadAbandoned", "Attaching",
            ]
        )
    }

    @Test func onlyAllocatedReadyOrUploadedVolumesAttach() {
        #expect(Set(VolumeState.allCases.filter(\.isAttachable)) == [.allocated, .ready, .uploaded])
    }

    @Test func onlyAllocatedOrReadyVolumesResize() {
        #expect(Set(VolumeState.allCases.filter(\.isResizable)) == [.allocated, .ready])
    }

    @Test func storedStatesReadTyped() {
        var volume = Volume(
            id: "v",
            name: "v",
            vmId: nil,
            zoneId: "z",
            type: "DATADISK",
            size: 1,
            state: "Ready",
            created: 0
        )
        #expect(volume.lifecycleState == .ready)
        volume.state = "Sideways"
        #expect(volume.lifecycleState == nil)
    }
}
