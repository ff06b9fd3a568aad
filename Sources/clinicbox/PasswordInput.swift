import ArgumentParser
import Foundation

/// Reads a password from standard input, never from an argument (arguments show up in `ps` and shell history).
enum PasswordInput {
    static func read(confirm: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("no password on standard input; pipe it in, e.g. `printf '%s\\n' \"$PASSWORD\" | clinicbox user add …`")
            }
            return line
        }
        let password = try prompt("Password: ")
        if confirm, try prompt("Again: ") != password { throw ValidationError("the two passwords differ; nothing was changed") }
        return password
    }

    /// Asks on the terminal with echo turned off.
    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
