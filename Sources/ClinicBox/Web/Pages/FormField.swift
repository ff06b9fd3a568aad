import Mustache

/// One labelled input of a page form (`partials/field`): the value the user typed and the message for it.
struct FormField: MustacheParent {
    enum Kind {
        case input(type: String)
        case textArea
        case select(options: [(value: String, label: String)])
        case checkbox
    }

    var name: String
    var label: String
    var kind: Kind = .input(type: "text")
    var value: String = ""
    var required = false
    var autocomplete: String?
    var error: String?

    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "label": label
        case "value": value
        case "required": required
        case "autocomplete": autocomplete
        case "error": error
        case "type": if case .input(let type) = kind { type } else { nil }
        case "isInput": if case .input = kind { true } else { false }
        case "isTextArea": if case .textArea = kind { true } else { false }
        case "isSelect": if case .select = kind { true } else { false }
        case "isCheckbox": if case .checkbox = kind { true } else { false }
        case "checked": value == "true"
        case "options":
            if case .select(let options) = kind {
                shownOptions(options).map { ["value": $0.value, "label": $0.label, "selected": $0.value == value] as [String: Any] }
            } else {
                nil
            }
        default: nil
        }
    }

    /// A field with nothing typed in it and no message renders the same every time: its key for `Pages.rows`, so
    /// an empty form on a busy page (the chart's) is rendered once. A field holding what someone typed is nil,
    /// rendered afresh and never kept.
    var blankKey: (id: Int64, version: Int64)? {
        guard value.isEmpty, error == nil else { return nil }
        var hasher = Hasher()
        for text in [name, label, autocomplete ?? ""] { hasher.combine(text) }
        hasher.combine(required)
        switch kind {
        case .input(let type): hasher.combine(type)
        case .textArea: hasher.combine("textarea")
        case .checkbox: hasher.combine("checkbox")
        case .select(let options):
            for option in options {
                hasher.combine(option.value)
                hasher.combine(option.label)
            }
        }
        return (Int64(hasher.finalize()), 0)
    }

    /// A required choice starts on an empty "Choose…", so a form sent without looking is refused rather than
    /// taking whatever happened to be first (and `required` means something: HTML ignores it otherwise).
    private func shownOptions(_ options: [(value: String, label: String)]) -> [(value: String, label: String)] {
        guard required else { return options }
        let rest = options.first?.value == "" ? Array(options.dropFirst()) : options
        return [("", "Choose…")] + rest
    }
}
