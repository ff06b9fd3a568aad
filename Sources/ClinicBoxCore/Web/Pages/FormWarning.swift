/// A refusal the person at the form may overrule with a reason — an allergy, a repeat before it is due — shown at
/// the top of the form (`partials/warning`): its title, its sentences in plain words, and the reason box beside them
/// with what was typed, when the refusal asks for one.
package enum FormWarning {
    /// `reasons`: the reason fields a refusal may ask for, by name, with their labels.
    package static func data(_ problem: Problem, reasons: [String: String], values: [String: String]) -> [String: Any] {
        var data: [String: Any] = ["heading": problem.title, "message": problem.pageText]
        if let (name, label) = reasons.sorted(by: { $0.key < $1.key }).first(where: { problem.fieldErrors[$0.key] != nil }) {
            data["reason"] = FormField(name: name, label: label, kind: .textArea, value: values[name] ?? "", error: problem.fieldErrors[name])
        }
        return data
    }
}
