/// A command that could not do its work: printed as one `Error: …` line (no usage text), exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Turns refusals into one readable line instead of a stack of types.
func reportingFailureNow<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw CommandFailure(String(describing: error))
    }
}

func reportingFailure<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw CommandFailure(String(describing: error))
    }
}
