/// CloudStack's UUIDs as text: the canonical 8-4-4-4-12 hexadecimal form its `uuid` parameters take.
public enum UUIDText {
    /// Whether `value` is a UUID in its canonical text form (either case).
    public static func isValid(_ value: some StringProtocol) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12] && parts.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
