/// A command that could not do its work: printed as one `Error: …` line (no usage text), exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
