import CloudModel
import Testing

struct UUIDTextTests {
    @Test(arguments: [
        ("8e4d6f6e-1b2a-4c3d-9e8f-0a1b2c3d4e5f", true),
        ("8E4D6F6E-1B2A-4C3D-9E8F-0A1B2C3D4E5F", true),
        ("8e4d6f6e1b2a4c3d9e8f0a1b2c3d4e5f", false),
        ("8e4d6f6e-1b2a-4c3d-9e8f-0a1b2c3d4e5", false),
        ("8e4d6f6e-1b2a-4c3d-9e8f-0a1b2c3d4e5g", false),
        ("8e4d6f6e-1b2a-4c3d-9e8f--0a1b2c3d4e5f", false),
        ("", false),
    ])
    func canonicalFormOnly(_ value: String, _ valid: Bool) {
        #expect(UUIDText.isValid(value) == valid)
    }
}
