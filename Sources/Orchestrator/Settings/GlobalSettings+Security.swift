/// The authentication settings (CloudStack's `AccountManagerImpl` keys).
extension GlobalSettings {
    /// `incorrect.login.attempts.allowed`: consecutive failed logins after which a user is disabled.
    public static let incorrectLoginAttemptsAllowed = "incorrect.login.attempts.allowed"

    /// The authentication settings.
    static let security: [SettingDefinition] = [
        SettingDefinition(
            incorrectLoginAttemptsAllowed,
            category: "Advanced",
            component: "AccountManager",
            "Incorrect login attempts allowed before the user is disabled (0: never disabled). Root admins are "
                + "never disabled.",
            type: .number(minimum: 0, maximum: integerMaximum),
            defaultValue: "5"
        )
    ]
}
