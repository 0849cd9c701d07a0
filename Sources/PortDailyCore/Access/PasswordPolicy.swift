/// What a console password must be. bcrypt reads at most 72 bytes, so a longer password is
/// refused rather than silently cut.
public enum PasswordPolicy {
    public static let minimumCharacters = 10
    public static let maximumBytes = 72

    /// Why `password` is not acceptable, or nil.
    public static func problem(_ password: String) -> String? {
        if password.count < minimumCharacters { return "a password needs at least \(minimumCharacters) characters" }
        if password.utf8.count > maximumBytes { return "a password may have at most \(maximumBytes) bytes (bcrypt reads no more)" }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "a password may not contain control characters"
        }
        return nil
    }
}

/// What a console user name must be: short, printable, no spaces (it is typed at every sign-in).
public enum UserNamePolicy {
    public static let maximumCharacters = 64

    public static func problem(_ name: String) -> String? {
        if name.isEmpty { return "a user name may not be empty" }
        if name.count > maximumCharacters { return "a user name may have at most \(maximumCharacters) characters" }
        if name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
            return "a user name may not contain spaces or control characters"
        }
        return nil
    }
}
